import { useLocale } from '../i18n/react';
import { useCall } from './call-context';
import { t } from './messages';

const dash = '—';

/**
 * Live connection figures from getStats. The same numbers are mirrored as
 * data attributes, which diagnostics and end-to-end tests read.
 */
export function FiguresPanel() {
  useLocale();
  const { state } = useCall();
  const f = state.figures;
  if (!state.customer || !f) return null;
  return (
    <section
      className="ws-card"
      data-testid="call-figures"
      data-width={f.width ?? ''}
      data-height={f.height ?? ''}
      data-fps={f.fps ?? ''}
      data-inbound-kbps={f.inboundKbps ?? ''}
      data-rtt-ms={f.rttMs ?? ''}
      data-audio-in-bytes={f.audioInBytes}
      data-audio-out-bytes={f.audioOutBytes}
      data-frames-decoded={f.framesDecoded}
      data-path={f.localCandidateType ?? ''}
      data-recoveries={state.recoveries}
    >
      <h2>{t('figures')}</h2>
      <dl className="ws-dl">
        <div><dt>{t('figResolution')}</dt><dd>{f.width && f.height ? `${f.width}×${f.height}` : dash}</dd></div>
        <div><dt>{t('figFps')}</dt><dd>{f.fps ?? dash}</dd></div>
        <div><dt>{t('figBitrate')}</dt><dd>{f.inboundKbps !== null ? `${f.inboundKbps} kbit/s` : dash}</dd></div>
        <div><dt>{t('figRtt')}</dt><dd>{f.rttMs !== null ? `${f.rttMs} ms` : dash}</dd></div>
        <div><dt>{t('figPath')}</dt><dd>{f.localCandidateType ?? dash}</dd></div>
        <div><dt>{t('figRecoveries')}</dt><dd>{state.recoveries}</dd></div>
      </dl>
    </section>
  );
}
