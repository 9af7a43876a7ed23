import { useStore } from '../call/observable-store';
import { useLocale } from '../i18n/react';
import { MicCheck } from '../audio/MicCheck';
import { t as ta } from '../audio/messages';
import type { ProcessingKey } from '../../src-preload/contract/audio';
import { useCall } from './call-context';
import { listDevices } from './devices';
import { t } from './messages';

const PROCESSING: readonly ProcessingKey[] = ['echoCancellation', 'noiseSuppression', 'autoGainControl'];

/**
 * Microphone, speaker/headset and ringer, switchable mid-call and remembered
 * by the main process; the device manager (audio/device-manager.ts) moves
 * them when devices come and go. Also the mic check and audio processing.
 */
export function DevicePicker() {
  useLocale();
  const { audio, state } = useCall();
  if (!audio) return null;
  return <Pickers audio={audio} micError={state.micError} />;
}

function Pickers({ audio, micError }: { audio: NonNullable<ReturnType<typeof useCall>['audio']>; micError: string | null }) {
  const a = useStore(audio.store);
  const mics = listDevices(a.devices, 'audioinput');
  const speakers = listDevices(a.devices, 'audiooutput');
  const canSink = typeof (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId === 'function';
  const input = a.prefs?.inputId ?? '';
  const output = a.prefs?.outputId ?? '';
  const ringer = a.prefs?.ringerId ?? '';
  const proc = a.processing;

  return (
    <div className="ws-devices">
      <label>
        <span>{t('microphone')}</span>
        <select data-testid="mic-select" value={mics.some((d) => d.deviceId === input) ? input : ''} onChange={(e) => void audio.chooseInput(e.target.value || null)}>
          <option value="">{t('systemDefault')}</option>
          {mics.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || `${t('microphone')} ${i + 1}`}</option>)}
        </select>
      </label>
      {canSink ? (
        <>
          <label>
            <span>{t('speaker')}</span>
            <select data-testid="speaker-select" value={speakers.some((d) => d.deviceId === output) ? output : ''} onChange={(e) => void audio.chooseOutput(e.target.value || null)}>
              <option value="">{t('systemDefault')}</option>
              {speakers.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || `${t('speaker')} ${i + 1}`}</option>)}
            </select>
          </label>
          <label>
            <span>{ta('ringer')}</span>
            <select data-testid="ringer-select" value={speakers.some((d) => d.deviceId === ringer) ? ringer : ''} onChange={(e) => void audio.chooseRinger(e.target.value || null)}>
              <option value="">{ta('sameAsSystem')}</option>
              {speakers.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || `${t('speaker')} ${i + 1}`}</option>)}
            </select>
          </label>
        </>
      ) : null}
      <MicCheck />
      {proc ? (
        <fieldset className="ws-processing" data-testid="processing">
          <legend>{ta('processing')}</legend>
          {PROCESSING.map((k) => {
            const managed = proc.managed.includes(k);
            return (
              <label key={k} title={managed ? ta('managed') : undefined}>
                <input type="checkbox" data-testid={`proc-${k}`} checked={proc.effective[k]} disabled={managed} onChange={(e) => void audio.setProcessing(k, e.target.checked)} />
                <span>{ta(k)}</span>
                {managed ? <small className="ws-managed">{ta('managed')}</small> : null}
              </label>
            );
          })}
        </fieldset>
      ) : null}
      {micError ? <span className="ws-warn" data-testid="mic-error">{t('micUnavailable', { reason: micError })}</span> : null}
    </div>
  );
}
