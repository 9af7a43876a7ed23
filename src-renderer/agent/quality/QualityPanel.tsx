import { useEffect, useState } from 'react';
import { useLocale } from '../../i18n/react';
import { useStore } from '../../call/observable-store';
import { MODES, type Mode } from '../../call/quality/modes';
import { useCall } from '../call-context';
import { tq } from './messages';
import { STATUS_STALE_MS, statusAge } from './agent-quality';

export const modeName = (m: Mode): string => tq(`mode_${m}`);

/**
 * The customer's picture quality as their page's mode machine reports it: the mode, why,
 * the link's estimate; the agent can hold a mode and switch bill reading (sharp text, fewer
 * frames). Mirrored as data attributes for diagnostics and end-to-end tests.
 */
export function QualityPanel() {
  useLocale();
  const { call, state } = useCall();
  const q = useStore(call.quality.store);
  const s = q.status;
  const live = !!state.customer && (state.phase === 'connected' || state.phase === 'reconnecting');
  // A clock for the report's age: a stalled data channel brings no new status to re-render on.
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(t);
  }, [live]);
  if (!live) return null;
  const age = statusAge(q, now);
  const stale = age !== null && age > STATUS_STALE_MS;
  return (
    <section
      className="ws-card"
      data-testid="quality-panel"
      data-mode={s?.mode ?? ''}
      data-shown={s?.shown ?? ''}
      data-reason={s?.reason ?? ''}
      data-pinned={s?.pinned ?? ''}
      data-advice={s?.advice ?? ''}
      data-available-kbps={s?.availableKbps ?? ''}
      data-loss-pct={s?.lossPct ?? ''}
      data-stale={stale ? 'true' : 'false'}
    >
      <h2>{tq('title')}</h2>
      <dl className="ws-dl">
        <div>
          <dt>{tq('mode')}</dt>
          <dd data-testid="quality-mode">{s ? modeName(s.shown) : '—'}{s && s.mode !== s.shown ? ` (${tq('probing', { mode: modeName(s.mode) })})` : ''}</dd>
        </div>
        <div><dt>{tq('why')}</dt><dd>{s ? tq(`reason_${s.reason}`) : '—'}</dd></div>
        <div><dt>{tq('link')}</dt><dd>{s?.availableKbps != null ? `${s.availableKbps} kbit/s` : '—'}{s?.lossPct ? `, ${s.lossPct} %` : ''}{s?.rttMs != null ? `, ${s.rttMs} ms` : ''}</dd></div>
        {s?.pinned ? <div><dt /><dd>{tq('pinnedAdvice', { mode: modeName(s.advice) })}</dd></div> : null}
        {stale ? <div><dt /><dd className="ws-warn" data-testid="quality-stale">{tq('stale', { s: Math.round(age! / 1000) })}</dd></div> : null}
      </dl>
      <label className="ws-row">
        {tq('pin')}{' '}
        <select data-testid="quality-pin" value={s?.pinned ?? ''} onChange={(e) => call.quality.pin((e.target.value || null) as Mode | null)}>
          <option value="">{tq('auto')}</option>
          {MODES.map((m) => <option key={m} value={m}>{modeName(m)}</option>)}
        </select>
      </label>
      <label className="ws-row">
        <input type="checkbox" data-testid="quality-bill" checked={q.billReading} onChange={(e) => call.quality.setBillReading(e.target.checked)} /> {tq('billReading')}
      </label>
    </section>
  );
}
