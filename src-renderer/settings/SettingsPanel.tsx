import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { EffectiveSettingView } from '../../src-preload/contract/settings';
import type { Output } from '../../src-preload/api';
import { call as invoke } from '../bridge/workstation';
import { getLocale } from '../i18n/index';
import { useLocale } from '../i18n/react';
import { useCall } from '../agent/call-context';
import { t } from './messages';

/**
 * Every managed setting with its effective value. Settings enforced by the
 * organisation are shown read-only with the "managed by your organisation"
 * mark (main refuses writes to them anyway); settings users may change have
 * a control; policy-only settings are shown for information.
 */
export function SettingsPanel() {
  useLocale();
  const [settings, setSettings] = useState<EffectiveSettingView[] | null>(null);
  const [issues, setIssues] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await invoke('settings:getEffective', {});
    if (!r.ok) { setError(t('loadFailed', { message: r.error.message })); return; }
    setSettings(r.value.settings);
    setIssues(r.value.issues.length);
  }, []);
  useEffect(() => { void load(); }, [load]);

  const save = async (key: string, value: unknown) => {
    const r = await invoke('settings:set', { key, value: value as never });
    setError(r.ok ? null : t('saveFailed', { message: r.error.message }));
    await load();
  };

  return (
    <details className="ws-card ws-settings" data-testid="settings-panel">
      <summary><h2>{t('title')}</h2></summary>
      {error && <p role="alert" data-testid="settings-error">{error}</p>}
      {issues > 0 && <p data-testid="settings-issues">{t('issues', { count: issues })}</p>}
      <ul className="ws-settings-list">
        {(settings ?? []).map((s) => <SettingRow key={s.key} s={s} onSave={save} />)}
      </ul>
      <Updates />
      {settings?.find((s) => s.key === 'diagnostics.enabled')?.value === true && <CollectDiagnostics />}
    </details>
  );
}

function SettingRow({ s, onSave }: { s: EffectiveSettingView; onSave: (key: string, value: unknown) => void }) {
  const lang = getLocale();
  const id = `setting-${s.key}`;
  const readOnly = !s.editable;
  let control: ReactElement;
  if (s.kind === 'boolean') {
    control = <input id={id} type="checkbox" checked={s.value === true} disabled={readOnly} onChange={(e) => onSave(s.key, e.currentTarget.checked)} />;
  } else if (s.kind === 'enum' && s.options) {
    control = (
      <select id={id} value={String(s.value)} disabled={readOnly} onChange={(e) => onSave(s.key, e.currentTarget.value)}>
        {s.options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    );
  } else if (s.kind === 'list' && s.editable) {
    control = <input id={id} type="text" defaultValue={(s.value as string[]).join(', ')} onBlur={(e) => onSave(s.key, e.currentTarget.value.split(/[,\s]+/).filter(Boolean))} />;
  } else {
    const shown = Array.isArray(s.value) ? s.value.join(', ') : typeof s.value === 'object' ? JSON.stringify(s.value) : String(s.value);
    control = <output id={id}>{shown === '' || shown === '{}' ? t('none') : shown}</output>;
  }
  return (
    <li data-testid="setting" data-key={s.key} data-source={s.source} data-enforced={s.enforced} data-editable={s.editable} title={s.description[lang]}>
      <label htmlFor={id}>{s.title[lang]}</label>
      {control}
      {s.enforced && <span className="ws-managed" data-testid="managed-mark" title={t('managedTitle', { origin: s.origin ?? '' })}>{t('managed')}</span>}
      {!s.enforced && s.source === 'recommended' && <span className="ws-recommended">{t('recommended')}</span>}
    </li>
  );
}

/** One archive for IT: main adds versions, policy, logs and database checks; the page adds device names and call figures. */
function CollectDiagnostics() {
  const { state } = useCall();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const collect = async () => {
    setBusy(true);
    let devices: { kind: 'audioinput' | 'audiooutput' | 'videoinput'; label: string }[] = [];
    try { devices = (await navigator.mediaDevices.enumerateDevices()).map((d) => ({ kind: d.kind, label: d.label.slice(0, 256) })); } catch { /* no device access: leave the list empty */ }
    const f = state.figures;
    const CANDIDATES = ['host', 'srflx', 'prflx', 'relay'] as const;
    const path = CANDIDATES.find((c) => c === f?.localCandidateType) ?? null;
    const calls = f ? [{ at: Date.now(), width: f.width, height: f.height, fps: f.fps, inboundKbps: f.inboundKbps, rttMs: f.rttMs, recoveries: state.recoveries, path }] : [];
    const r = await invoke('diagnostics:collect', { devices, calls });
    setResult(r.ok ? t('collected', { file: r.value.file }) : t('collectFailed', { message: r.error.message }));
    setBusy(false);
  };
  return (
    <div className="ws-diagnostics">
      <button type="button" data-testid="collect-diagnostics" disabled={busy} onClick={() => void collect()}>{busy ? t('collecting') : t('collect')}</button>
      {result && <p data-testid="diagnostics-result">{result}</p>}
    </div>
  );
}

/** Update status and "Check for updates"; under UpdateMode none the button is absent and main makes no request. */
function Updates() {
  const [v, setV] = useState<Output<'update:status'> | null>(null);
  useEffect(() => { void invoke('update:status', {}).then((r) => { if (r.ok) setV(r.value); }); }, []);
  const run = async (c: 'update:check' | 'update:install') => {
    if (v) setV({ ...v, status: { state: 'checking' } });
    const r = await invoke(c, {});
    if (r.ok) setV(r.value);
  };
  if (!v) return null;
  const st = v.status;
  const text = st.state === 'disabled' ? t('updDisabled')
    : st.state === 'idle' ? t('updIdle')
      : st.state === 'checking' ? t('updChecking')
        : st.state === 'up_to_date' ? t('updUpToDate')
          : st.state === 'available' ? t(st.installBy === 'it' ? 'updAvailableIt' : 'updAvailableApp', { version: st.version })
            : st.state === 'downloaded' ? t('updDownloaded', { version: st.version })
              : t('updError', { message: st.message });
  return (
    <div className="ws-updates" data-testid="updates" data-mode={v.mode} data-state={st.state}>
      <h3>{t('updates')}</h3>
      <p>{text}</p>
      {v.mode !== 'none' && st.state !== 'disabled' && <button type="button" disabled={st.state === 'checking'} onClick={() => void run('update:check')}>{t('checkUpdates')}</button>}
      {st.state === 'downloaded' && <button type="button" onClick={() => void run('update:install')}>{t('updInstall')}</button>}
    </div>
  );
}
