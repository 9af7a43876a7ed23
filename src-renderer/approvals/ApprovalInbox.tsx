import { useEffect, useState } from 'react';
import type { PendingApproval } from '../../src-preload/contract/approvals';
import { call } from '../bridge/workstation';
import { formatMoney } from '../cases/money';
import { useLocale } from '../i18n/react';
import { approvalFeed } from './feed';
import { t } from './messages';

type Note = { requestId: string; text: string };

/**
 * The supervisor's live list of credits waiting for approval: what is
 * pending when the panel opens, then requests as they arrive on the
 * signaling socket; one decided elsewhere (or expired) leaves the list.
 */
export function ApprovalInbox() {
  useLocale();
  const [items, setItems] = useState<PendingApproval[]>([]);
  const [notes, setNotes] = useState<Note[]>([]);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    void call('approvals:pending', {}).then((r) => {
      if (alive && r.ok) setItems((cur) => merge(cur, r.value));
    });
    const off = approvalFeed.on((m) => {
      if (m.type === 'approval_requested') setItems((cur) => merge(cur, [m.request]));
      if (m.type === 'approval_closed') {
        setItems((cur) => cur.filter((i) => i.requestId !== m.requestId));
      }
    });
    return () => { alive = false; off(); };
  }, []);

  async function decide(item: PendingApproval, decision: 'approve' | 'decline') {
    setBusy(item.requestId);
    const r = await call('approvals:decide', { requestId: item.requestId, decision });
    setBusy(null);
    setItems((cur) => cur.filter((i) => i.requestId !== item.requestId));
    const text = r.ok ? t(r.value.outcome === 'approved' ? 'approved' : 'declined') : t('error', { message: r.error.message });
    setNotes((n) => [{ requestId: item.requestId, text }, ...n].slice(0, 5));
  }

  return (
    <section className="cases-panel" data-testid="approval-inbox" aria-live="polite">
      <h2>{t('inbox')}</h2>
      {items.length === 0 ? <p className="cases-muted" data-testid="approval-empty">{t('empty')}</p> : null}
      <ul className="approval-list">
        {items.map((i) => (
          <li key={i.requestId} data-testid="approval-request" data-request-id={i.requestId} data-case-id={i.caseId}>
            <p>{t('request', { agent: i.agent.name ?? i.agent.sub, amount: formatMoney(i.amountMinor, i.currency), caseId: i.caseId, customer: i.customerName })}</p>
            <p className="cases-muted">{t('reason', { reason: i.reason })} · {t('expires', { time: new Date(i.expiresAt).toLocaleTimeString() })}</p>
            <button type="button" data-testid="approve" disabled={busy === i.requestId} onClick={() => void decide(i, 'approve')}>{t('approve')}</button>
            <button type="button" data-testid="decline" disabled={busy === i.requestId} onClick={() => void decide(i, 'decline')}>{t('decline')}</button>
          </li>
        ))}
      </ul>
      {notes.map((n) => <p key={n.requestId} className="cases-muted" data-testid="approval-note">{n.text}</p>)}
    </section>
  );
}

function merge(cur: PendingApproval[], add: PendingApproval[]): PendingApproval[] {
  const byId = new Map(cur.map((i) => [i.requestId, i]));
  for (const a of add) byId.set(a.requestId, a);
  return [...byId.values()].sort((a, b) => a.requestedAt - b.requestedAt);
}
