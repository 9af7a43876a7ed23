import { useState, type FormEvent } from 'react';
import { call } from '../bridge/workstation';
import { useLocale } from '../i18n/react';
import { CreditForm } from './CreditForm';
import { DispositionForm } from './DispositionForm';
import { t } from './messages';
import { refresh, setError, type CaseView } from './store';
import { Timeline } from './Timeline';
import { errorText } from './error-text';

/** One case: notes, disposition, credits, transfer, export, and its own history. */
export function CaseDetail({ view }: { view: CaseView }) {
  useLocale();
  const c = view.case;
  const account = view.customer.accounts.find((a) => a.id === c.accountId) ?? view.customer.accounts[0] ?? null;
  const [note, setNote] = useState('');
  const [toAgent, setToAgent] = useState('');
  const [transferReason, setTransferReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);

  async function addNote(ev: FormEvent) {
    ev.preventDefault();
    const r = await call('cases:addNote', { caseId: c.id, text: note });
    if (!r.ok) { setError(errorText(r.error)); return; }
    setNote('');
    await refresh();
  }

  async function transfer(ev: FormEvent) {
    ev.preventDefault();
    const r = await call('cases:transfer', { caseId: c.id, toAgentId: toAgent.trim(), reason: transferReason });
    if (!r.ok) { setError(errorText(r.error)); return; }
    setNotice(t('transferred', { agent: toAgent.trim() }));
    setToAgent(''); setTransferReason('');
    await refresh();
  }

  async function exportBundle() {
    const r = await call('cases:exportBundle', { caseId: c.id });
    if (!r.ok) { setError(errorText(r.error)); return; }
    setNotice(t('exported', { name: r.value.bundleName, sha: r.value.manifestSha256, key: r.value.keyFingerprint }));
  }

  return (
    <section className="cases-detail" data-testid="case-detail" data-case-id={c.id} data-status={c.status}>
      <h3>{t('caseTitle', { id: c.id, subject: c.subject })}</h3>
      <p className="cases-muted"><span className="cases-status" data-status={c.status}>{t(`status_${c.status}`)}</span>{c.assignedAgent ? ` · ${t('assignedTo', { agent: c.assignedAgent })}` : ''}</p>
      {notice ? <p role="status" data-testid="case-notice" className="cases-notice">{notice}</p> : null}

      <form className="cases-form" onSubmit={addNote}>
        <label>{t('notes')}<textarea data-testid="note-input" value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('notePlaceholder')} maxLength={10_000} rows={3} required /></label>
        <button type="submit" disabled={!note.trim()}>{t('addNote')}</button>
      </form>

      <DispositionForm caseId={c.id} />
      <CreditForm caseId={c.id} currency={account?.currency ?? null} />

      <form className="cases-form" data-testid="transfer-form" onSubmit={transfer}>
        <h3>{t('transfer')}</h3>
        <div className="cases-row">
          <label>{t('transferTo')}<input name="toAgent" value={toAgent} onChange={(e) => setToAgent(e.target.value)} required maxLength={128} /></label>
          <label>{t('transferReason')}<input name="transferReason" value={transferReason} onChange={(e) => setTransferReason(e.target.value)} maxLength={500} /></label>
        </div>
        <button type="submit">{t('doTransfer')}</button>
      </form>

      <button type="button" onClick={() => void exportBundle()}>{t('exportBundle')}</button>

      <h3>{t('timeline')}</h3>
      <Timeline events={view.events} />
    </section>
  );
}
