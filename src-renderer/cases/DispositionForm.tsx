import { useState, type FormEvent } from 'react';
import type { Outcome } from '../../src-preload/contract/cases';
import { call } from '../bridge/workstation';
import { useLocale } from '../i18n/react';
import { t } from './messages';
import { refresh, setError } from './store';
import { errorText } from './error-text';

const OUTCOMES: Outcome[] = ['resolved_remote', 'technician_dispatch', 'escalated_fraud'];

/** How the contact ended; a technician dispatch carries the parts-and-tools list. */
export function DispositionForm({ caseId, locked = false }: { caseId: number; locked?: boolean }) {
  useLocale();
  const [outcome, setOutcome] = useState<Outcome>('resolved_remote');
  const [summary, setSummary] = useState('');
  const [parts, setParts] = useState<Array<{ item: string; qty: number }>>([{ item: '', qty: 1 }]);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const list = parts.filter((p) => p.item.trim());
    const r = await call('cases:setDisposition', {
      caseId,
      disposition: { outcome, summary, ...(outcome === 'technician_dispatch' ? { partsAndTools: list.map((p) => ({ item: p.item.trim(), qty: p.qty })) } : {}) },
    });
    if (!r.ok) { setError(errorText(r.error)); return; }
    setSummary('');
    setParts([{ item: '', qty: 1 }]);
    await refresh();
  }

  return (
    <form className="cases-form" data-testid="disposition-form" onSubmit={submit}>
      <h3>{t('disposition')}</h3>
      <fieldset className="cases-outcomes">
        {OUTCOMES.map((o) => (
          <label key={o}><input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} /> {t(`outcome_${o}`)}</label>
        ))}
      </fieldset>
      <label>{t('summary')}<textarea name="summary" value={summary} onChange={(e) => setSummary(e.target.value)} maxLength={2000} rows={2} /></label>
      {outcome === 'technician_dispatch' ? (
        <fieldset className="cases-parts" data-testid="parts-list">
          <legend>{t('partsAndTools')}</legend>
          {parts.map((p, i) => (
            <div className="cases-row" key={i}>
              <label>{t('partItem')}<input name={`part-${i}`} value={p.item} maxLength={200} onChange={(e) => setParts(parts.map((x, j) => (j === i ? { ...x, item: e.target.value } : x)))} /></label>
              <label className="cases-qty">{t('partQty')}<input type="number" min={1} max={999} value={p.qty} onChange={(e) => setParts(parts.map((x, j) => (j === i ? { ...x, qty: Math.max(1, Math.min(999, Number(e.target.value) || 1)) } : x)))} /></label>
              <button type="button" onClick={() => setParts(parts.length > 1 ? parts.filter((_, j) => j !== i) : [{ item: '', qty: 1 }])}>{t('removePart')}</button>
            </div>
          ))}
          <button type="button" onClick={() => setParts([...parts, { item: '', qty: 1 }])} disabled={parts.length >= 100}>{t('addPart')}</button>
        </fieldset>
      ) : null}
      <button type="submit" data-testid="save-disposition" disabled={locked} title={locked ? t('dispositionLockedHandoff') : undefined}>{t('saveDisposition')}</button>
    </form>
  );
}
