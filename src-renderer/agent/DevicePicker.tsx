import { useCallback, useEffect, useState } from 'react';
import { call as invoke } from '../bridge/workstation';
import { useLocale } from '../i18n/react';
import { useCall } from './call-context';
import { listDevices, pickDevice } from './devices';
import { t } from './messages';

/**
 * Microphone and speaker/headset lists, switchable mid-call, remembered by
 * the main process (audio:getPrefs / audio:setPrefs).
 */
export function DevicePicker() {
  useLocale();
  const { call, setSinkId, state } = useCall();
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [input, setInput] = useState<string>('');
  const [output, setOutput] = useState<string>('');

  const refresh = useCallback(async () => {
    try { setDevices(await navigator.mediaDevices.enumerateDevices()); } catch { setDevices([]); }
  }, []);

  // Labels appear only after a getUserMedia grant: list again once the mic is live, and on hot-plug.
  useEffect(() => {
    void refresh();
    navigator.mediaDevices?.addEventListener?.('devicechange', refresh);
    return () => navigator.mediaDevices?.removeEventListener?.('devicechange', refresh);
  }, [refresh]);
  useEffect(() => { if (state.phase === 'connected' || state.phase === 'connecting') void refresh(); }, [state.phase, refresh]);

  // Apply the remembered devices once they can be matched.
  useEffect(() => {
    if (!devices.length) return;
    let stop = false;
    void invoke('audio:getPrefs', {}).then((r) => {
      if (stop || !r.ok) return;
      const mic = pickDevice(devices, 'audioinput', r.value.inputId, r.value.inputLabel);
      const spk = pickDevice(devices, 'audiooutput', r.value.outputId, r.value.outputLabel);
      if (mic && !input) { setInput(mic.deviceId); void call.setMicDevice(mic.deviceId); }
      if (spk && !output) { setOutput(spk.deviceId); setSinkId(spk.deviceId); }
    });
    return () => { stop = true; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [devices]);

  const mics = listDevices(devices, 'audioinput');
  const speakers = listDevices(devices, 'audiooutput');
  const canSink = typeof (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId === 'function';

  const chooseMic = async (id: string) => {
    setInput(id);
    await call.setMicDevice(id || null);
    const d = devices.find((x) => x.deviceId === id);
    void invoke('audio:setPrefs', { inputId: id || null, inputLabel: d?.label || null });
  };
  const chooseSpeaker = (id: string) => {
    setOutput(id);
    setSinkId(id || '');
    const d = devices.find((x) => x.deviceId === id);
    void invoke('audio:setPrefs', { outputId: id || null, outputLabel: d?.label || null });
  };

  return (
    <div className="ws-devices">
      <label>
        <span>{t('microphone')}</span>
        <select data-testid="mic-select" value={input} onChange={(e) => void chooseMic(e.target.value)}>
          <option value="">{t('systemDefault')}</option>
          {mics.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || `${t('microphone')} ${i + 1}`}</option>)}
        </select>
      </label>
      {canSink ? (
        <label>
          <span>{t('speaker')}</span>
          <select data-testid="speaker-select" value={output} onChange={(e) => chooseSpeaker(e.target.value)}>
            <option value="">{t('systemDefault')}</option>
            {speakers.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || `${t('speaker')} ${i + 1}`}</option>)}
          </select>
        </label>
      ) : null}
      {state.micError ? <span className="ws-warn" data-testid="mic-error">{t('micUnavailable', { reason: state.micError })}</span> : null}
    </div>
  );
}
