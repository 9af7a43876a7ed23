import { useEffect, useMemo, useState } from 'react';
import { useStore } from '../call/observable-store';
import { useLocale } from '../i18n/react';
import { useCall } from '../agent/call-context';
import { micConstraints } from '../agent/agent-mic';
import { LevelMeter } from './level-meter';
import { LEVEL_FLOOR_DB } from './model/level';
import { t } from './messages';

/**
 * Mic check, before or during a call, while the agent has it open ("Test
 * microphone"): during a call the meter reads the live microphone track
 * (what the customer gets, after processing); before a call a track opens on
 * the chosen device with the same processing, closed when the test ends or
 * a call starts. It does not run unasked: an audio graph polled ten times a
 * second is not free on a loaded agent desktop.
 */
export function MicCheck() {
  useLocale();
  const { call, state } = useCall();
  const meter = useMemo(() => new LevelMeter(), []);
  const level = useStore(meter.store);
  const [testing, setTesting] = useState(false);
  const [testTrack, setTestTrack] = useState<MediaStreamTrack | null>(null);
  const live = state.micDeviceId !== null ? call.micTrack : null;

  useEffect(() => () => meter.stop(), [meter]);

  // Before a call: open a test track while testing.
  useEffect(() => {
    if (!testing || live) return;
    let stopped = false;
    let track: MediaStreamTrack | null = null;
    const audio = micConstraints(call.mic.processing, call.mic.inputDeviceId);
    navigator.mediaDevices.getUserMedia({ audio }).then((s) => {
      track = s.getAudioTracks()[0] ?? null;
      if (stopped) track?.stop(); else setTestTrack(track);
    }, () => setTesting(false));
    return () => { stopped = true; track?.stop(); setTestTrack(null); };
  }, [testing, live, call]);

  const track = testing ? (live ?? testTrack) : null;
  useEffect(() => { meter.attach(track); }, [meter, track]);

  const muted = !!live && (state.micMuted || state.held);
  const pct = Math.max(0, Math.min(100, ((level.levelDb - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB) * 100));
  return (
    <div className="ws-miccheck" data-testid="mic-check" data-level-db={level.running ? level.levelDb : ''} data-no-input={level.running && level.noInput && !muted ? 'true' : 'false'}>
      <button data-testid="mic-test" aria-pressed={testing} onClick={() => setTesting(!testing)}>{testing ? t('micCheckStop') : t('micCheck')}</button>
      {level.running ? (
        <>
          <meter aria-label={t('level')} min={0} max={100} low={40} high={90} optimum={70} value={muted ? 0 : pct} />
          <span className="ws-level" data-testid="mic-level">{muted ? t('mutedNoLevel') : t('levelValue', { db: level.levelDb.toFixed(1) })}</span>
          {level.noInput && !muted ? <span className="ws-warn" role="status" data-testid="no-input">{t('noInput')}</span> : null}
        </>
      ) : null}
    </div>
  );
}
