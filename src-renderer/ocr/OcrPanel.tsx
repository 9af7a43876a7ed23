/**
 * The OCR / bill panel (workstation side-panel slot): take a full-resolution
 * still, the still tray, the selected still with word boxes, its text
 * (selectable, copyable), the extracted fields with confidences, and the
 * dispute findings with their actions.
 */
import { useEffect, useMemo, useState } from 'react';
import { currencyDigits, fromMinor } from '../../src-preload/contract/money';
import type { BillFieldsT, FindingT, OcrLang } from '../../src-preload/contract/ocr';
import { getLocale } from '../i18n';
import { useLocale } from '../i18n/react';
import { useCases } from '../cases/store';
import { useCall } from '../agent/call-context';
import { useStore } from '../call/observable-store';
import type { AgentStills } from '../stills/agent-stills';
import { call as invoke } from '../bridge/workstation';
import { BillTray } from './bill-tray';
import { t } from './messages';
import { StillView } from './StillView';
import './ocr.css';

declare global {
  interface Window { __ocr?: { tray: BillTray; stills: AgentStills } | null }
}

const FIELD_ROWS = ['vendor', 'accountNumber', 'invoiceNumber', 'date', 'dueDate', 'subtotal', 'tax', 'total', 'currency'] as const;
type Row = NonNullable<BillFieldsT[(typeof FIELD_ROWS)[number]]>;
/** A field as printed on the bill: money fields come in minor units and are shown as the decimal amount, as before. */
const shown = (f: Row): string => ('amountMinor' in f ? String(fromMinor(f.amountMinor, f.currency)) : String(f.value));

export function OcrPanel() {
  const locale = useLocale();
  const { stills, video, state } = useCall();
  const cases = useCases();
  const ctl = useMemo(() => new BillTray(), []);
  useEffect(() => {
    window.__ocr = { tray: ctl, stills };
    // Freeze stills belong to the annotation; the tray reads what the agent asked for and what the customer sent.
    const off = stills.onStill((s) => { if (s.source !== 'freeze') void ctl.add(s); });
    return () => { off(); window.__ocr = null; };
  }, [stills, ctl]);
  // OcrLanguages policy: only the allowed languages are offered, and a disallowed choice moves to an allowed one (main refuses the rest).
  const [langs, setLangs] = useState<OcrLang[]>(['eng', 'jpn', 'eng+jpn']);
  useEffect(() => {
    void invoke('settings:getEffective', {}).then((r) => {
      const v = r.ok ? r.value.settings.find((x) => x.key === 'ocr.languages')?.value : undefined;
      if (!Array.isArray(v)) return;
      const allowed = (['eng', 'jpn', 'eng+jpn'] as const).filter((l) => l.split('+').every((p) => v.includes(p)));
      setLangs(allowed);
      if (allowed.length && !allowed.includes(ctl.store.get().lang)) ctl.store.set({ lang: allowed[0]! });
    });
  }, [ctl]);
  useEffect(() => { if (state.phase === 'connected') void invoke('ocr:warm', { lang: ctl.store.get().lang }); }, [state.phase, ctl]);
  // Findings depend on the case's expected charge: check again when that changes, not on every refresh of the case view.
  const view = cases.view;
  const acct = view?.customer.accounts.find((a) => a.id === view.case.accountId) ?? view?.customer.accounts[0];
  const expectedKey = `${cases.activeCaseId}|${acct ? `${acct.number}|${acct.expectedMonthlyMinor}|${acct.currency}` : ''}`;
  useEffect(() => { void ctl.recheck(); }, [expectedKey, ctl]);
  const st = useStore(stills.store);
  const s = useStore(ctl.store);
  const [focus, setFocus] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [editing, setEditing] = useState<{ field: (typeof FIELD_ROWS)[number]; value: string } | null>(null);
  const sel = s.stills.find((x) => x.still.id === s.selected) ?? s.stills.at(-1) ?? null;
  const focused = s.findings.find((f) => f.id === focus) ?? null;
  const highlight = sel ? (focused ?? s.findings[0])?.evidence.filter((e) => e.stillSha256 === sel.still.sha256).flatMap((e) => e.boxes) ?? [] : [];
  const fieldBoxes = sel?.result ? [sel.result.fields.total?.box].filter((b): b is NonNullable<typeof b> => !!b) : [];
  const connected = state.phase === 'connected';
  const pct = st.receiving ? Math.round((100 * st.receiving.received) / Math.max(1, st.receiving.total)) : 0;

  return (
    <section className="ocr-panel" data-testid="ocr-panel" aria-label={t('title')}>
      <header>
        <h2>{t('title')}</h2>
        <label>{t('language')}{' '}
          <select data-testid="ocr-lang" value={s.lang} onChange={(e) => ctl.setLang(e.target.value as OcrLang)}>
            {langs.map((l) => <option key={l} value={l}>{t(l === 'eng' ? 'langEng' : l === 'jpn' ? 'langJpn' : 'langBoth')}</option>)}
          </select>
        </label>
      </header>
      <button type="button" className="primary" data-testid="take-still" disabled={!connected || st.requesting} onClick={() => void stills.request(document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]') ?? video)}>{t('takeStill')}</button>
      <div role="status" data-testid="still-transfer" data-state={st.receiving?.state ?? (st.requesting ? (st.previewing ? 'previewing' : 'requesting') : st.error ? 'failed' : 'idle')}>
        {st.receiving ? (st.receiving.state === 'verifying' ? t('verifying') : <><progress max={100} value={pct} /> {t('receiving', { pct })}</>)
          : st.requesting ? t(st.previewing ? 'previewing' : 'requesting') : st.error ? (st.error === 'no_still' ? t('noStill') : t('transferFailed', { error: st.error })) : null}
      </div>
      {cases.activeCaseId === null ? <p className="ocr-hint">{t('noCase')}</p> : null}

      <h3>{t('tray')}</h3>
      <ul className="ocr-tray" data-testid="still-tray">
        {s.stills.length === 0 ? <li className="ocr-hint">{t('empty')}</li> : null}
        {s.stills.map((x) => (
          <li key={x.still.id}>
            <button type="button" data-testid="still-thumb" data-source={x.still.source} data-status={x.status} data-width={x.still.width} data-height={x.still.height} data-saved={x.savedToCase ?? ''}
              aria-pressed={sel?.still.id === x.still.id} onClick={() => ctl.select(x.still.id)}>
              {x.still.width}×{x.still.height} · {t('source', { source: t(x.still.source === 'camera' ? 'sourceCamera' : x.still.source === 'file' ? 'sourceFile' : 'sourceFrame') })}
              {x.status === 'reading' || x.status === 'saving' ? ` · ${t('reading')}` : x.result ? ` · ${t('ms', { ms: x.result.ms })}` : ''}
              {x.savedToCase ? ` · ${t('saved')}` : ''}
            </button>
          </li>
        ))}
      </ul>
      {sel?.still.source === 'frame' ? <p className="ocr-warn">{t('fallbackFrame')}</p> : null}
      {sel ? <StillView bytes={sel.still.bytes} mime={sel.still.mime} width={sel.still.width} height={sel.still.height} result={sel.result} highlight={highlight} fieldBoxes={fieldBoxes} viewWidth={340} /> : null}
      {sel?.status === 'error' ? <p className="ocr-warn">{sel.errorCode === 'busy' || sel.errorCode === 'ocr_timeout' || sel.errorCode === 'ocr_worker_crashed' ? t(`ocrErr_${sel.errorCode}`) : t('ocrFailed', { error: sel.error ?? '' })}</p> : null}

      {sel?.result ? (
        <>
          <h3>{t('fields')}</h3>
          <table className="ocr-fields" data-testid="ocr-fields"><tbody>
            {FIELD_ROWS.map((k) => {
              const f = sel.result!.fields[k];
              if (!f) return null;
              const rv = sel.reviews?.[k];
              const canReview = sel.savedToCase !== undefined && sel.savedToCase === cases.activeCaseId;
              return <tr key={k} data-field={k} data-value={shown(f)} className={f.confidence < 0.7 ? 'ocr-low' : undefined}>
                <th>{t(k)}</th><td>{shown(f)}</td><td className="ocr-conf">{Math.round(f.confidence * 100)}% {t('confidence')}</td>
                <td className="ocr-review">
                  {rv ? <span data-testid={`review-${k}`}>{rv.verdict === 'confirmed' ? t('confirmed') : t('corrected', { value: rv.value })}{rv.state !== 'done' && rv.state !== 'busy' ? ` (${rv.state})` : ''}</span>
                    : editing?.field === k ? <form onSubmit={(e) => { e.preventDefault(); if (editing.value.trim()) void ctl.review(sel.still.id, k, shown(f), editing.value, f.confidence); setEditing(null); }}>
                        <input aria-label={t('correct')} value={editing.value} onChange={(e) => setEditing({ field: k, value: e.target.value })} autoFocus /> <button type="submit">{t('save')}</button>
                      </form>
                    : <>
                        <button type="button" disabled={!canReview} title={canReview ? undefined : t('reviewNeedsCase')} onClick={() => void ctl.review(sel.still.id, k, shown(f), shown(f), f.confidence)}>{t('confirm')}</button>
                        <button type="button" disabled={!canReview} title={canReview ? undefined : t('reviewNeedsCase')} onClick={() => setEditing({ field: k, value: shown(f) })}>{t('correct')}</button>
                      </>}
                </td>
              </tr>;
            })}
            {sel.result.fields.periodStart && sel.result.fields.periodEnd ? <tr data-field="period"><th>{t('period')}</th><td>{sel.result.fields.periodStart.value} – {sel.result.fields.periodEnd.value}</td><td className="ocr-conf">{Math.round(sel.result.fields.periodStart.confidence * 100)}%</td></tr> : null}
          </tbody></table>
          {sel.result.fields.lineItems.length ? <details><summary>{t('items')} ({sel.result.fields.lineItems.length})</summary><ul>{sel.result.fields.lineItems.map((i, k) => <li key={k}>{i.description} — {fromMinor(i.amountMinor, i.currency)}</li>)}</ul></details> : null}
          {sel.stored?.cardsCovered ? <p className="ocr-hint" data-testid="ocr-cards-covered">{t('cardsCovered', { count: sel.stored.cardsCovered })}</p> : null}
          {sel.result.fields.maskedNumbers.length ? <p className="ocr-hint">{t('masked')}: {sel.result.fields.maskedNumbers.join(', ')}</p> : null}
          <h3>{t('text')}</h3>
          <textarea readOnly data-testid="ocr-text" value={sel.result.text} rows={6} />
          <button type="button" data-testid="copy-text" onClick={() => { void navigator.clipboard?.writeText(sel.result!.text).then(() => { setCopied(true); setTimeout(() => setCopied(false), 1500); }); }}>{copied ? t('copied') : t('copy')}</button>
        </>
      ) : null}

      <h3>{t('findings')}</h3>
      <ul className="ocr-findings" data-testid="ocr-findings">
        {s.findings.length === 0 && s.stills.some((x) => x.result) ? <li className="ocr-hint">{t('noFindings')}</li> : null}
        {s.findings.map((f) => <FindingItem key={f.id} f={f} locale={locale} focused={focus === f.id} onFocus={() => { setFocus(f.id); const first = f.evidence[0] && ctl.bySha(f.evidence[0].stillSha256); if (first) ctl.select(first.still.id); }} actions={s.actions} onAct={(a) => void ctl.act(f, a, getLocale())} />)}
      </ul>
    </section>
  );
}

function FindingItem({ f, locale, focused, onFocus, actions, onAct }: { f: FindingT; locale: 'en' | 'ja'; focused: boolean; onFocus: () => void; actions: Record<string, string>; onAct: (a: 'note' | 'credit' | 'escalate') => void }) {
  const money = f.amountMinor !== undefined && f.currency ? `${fromMinor(f.amountMinor, f.currency).toFixed(currencyDigits(f.currency))} ${f.currency}` : '';
  return (
    <li className={`ocr-finding ${f.severity}`} data-testid="finding" data-kind={f.kind} data-evidence={f.evidence.reduce((n, e) => n + e.boxes.length, 0)} aria-current={focused}>
      <p onClick={onFocus}>{f.say[locale]}</p>
      <div className="ocr-actions">
        {f.actions.map((a) => {
          const state = actions[`${f.id}:${a}`];
          if (a === 'credit' && !money) return null;
          const label = a === 'note' ? t('actionNote') : a === 'credit' ? t('actionCredit', { amount: money }) : t('actionEscalate');
          return (
            <button key={a} type="button" data-testid={`finding-${a}`} data-state={state ?? ''} disabled={state === 'busy' || state === 'done'} onClick={() => onAct(a)}>
              {state === 'done' ? `${label} ✓` : state === 'needs_approval' ? `${label} — ${t('needsApproval')}` : label}
            </button>
          );
        })}
      </div>
    </li>
  );
}
