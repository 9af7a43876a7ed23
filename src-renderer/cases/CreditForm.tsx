import { useEffect, useState, type FormEvent } from 'react';
import type { Output } from '../../src-preload/api';
import { call } from '../bridge/workstation';
import { useLocale } from '../i18n/react';
import { t } from './messages';
import { currencyDigits } from '../../src-preload/contract/money';
import { formatMoney, parseMoney } from './money';
import { refresh } from './store';
import { errorText } from './error-text';
import { creditWaits } from './workstation-credit-waits';
import type { CreditWait } from './credit-waits';
import { t as tApproval } from '../approvals/messages';

type Policy = Output<'cases:creditPolicy'>;
type Outcome =
  | { kind: 'needs'; amount: number; limit: number }
  /** asked a supervisor; the decision arrives on the signaling socket */
  | { kind: 'waiting'; amount: number; requestId: string }
  | { kind: 'declined'; amount: number }
  | { kind: 'expired'; amount: number }
  /** approved, but the grant's lifetime ran out before it reached this workstation */
  | { kind: 'lapsed'; amount: number }
  | { kind: 'done'; amount: number; by?: string; audited: boolean; threshold: number }
  | { kind: 'error'; message: string };

/** Credits with the policy shown up front: granted, needs approval, or granted and audited. */
export function CreditForm({ caseId, currency }: { caseId: number; currency: string | null }) {
  useLocale();
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(() => fromWait(creditWaits.get(caseId)));

  // The wait for a supervisor is the workstation's (workstation-credit-waits.ts), not this form's:
  // the agent may open other cases meanwhile, and the credit still lands in this one. The form
  // shows the wait, and the outcome when it comes (or came while the form was not shown).
  useEffect(() => {
    const show = () => {
      const w = creditWaits.get(caseId);
      const o = fromWait(w);
      if (!o) return;
      setOutcome(o);
      if (w?.kind === 'settled') {
        creditWaits.seen(caseId, w.requestId);
        if (o.kind === 'done') { setAmount(''); setReason(''); }
      }
    };
    show();
    return creditWaits.subscribe(show);
  }, [caseId]);

  useEffect(() => {
    if (!currency) return;
    void call('cases:creditPolicy', { currency }).then((r) => { if (r.ok) setPolicy(r.value); });
  }, [currency]);

  if (!currency) return <p className="cases-muted">{t('noAccount')}</p>;

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const minor = parseMoney(amount, currency!);
    if (minor === null || minor <= 0) { setOutcome({ kind: 'error', message: t('error', { message: t('creditAmount', { currency: currency! }) }) }); return; }
    const r = await call('cases:issueCredit', { caseId, amountMinor: minor, reason });
    if (!r.ok) { setOutcome({ kind: 'error', message: errorText(r.error) }); return; }
    if (r.value.state === 'needs_approval') { setOutcome({ kind: 'needs', amount: minor, limit: r.value.limitWithoutApprovalMinor }); return; }
    setOutcome({ kind: 'done', amount: minor, audited: r.value.audited, threshold: r.value.auditThresholdMinor });
    setAmount(''); setReason('');
    await refresh();
  }

  async function askApproval() {
    if (outcome?.kind !== 'needs') return;
    const amountMinor = outcome.amount;
    const r = await call('approvals:request', { caseId, amountMinor, reason });
    if (!r.ok) { setOutcome({ kind: 'error', message: tApproval('requestFailed', { message: r.error.message }) }); return; }
    creditWaits.start(caseId, { requestId: r.value.requestId, amount: amountMinor, reason });
  }

  const step = 1 / 10 ** currencyDigits(currency);
  return (
    <form className="cases-form" data-testid="credit-form" onSubmit={submit}>
      <h3>{t('credit')}</h3>
      {policy?.policyError ? <p className="ws-warn">{t('policyError', { error: policy.policyError })}</p> : null}
      {policy ? <p className="cases-muted" data-testid="credit-limits">{t('creditLimits', { limit: formatMoney(policy.limitWithoutApprovalMinor, currency), threshold: formatMoney(policy.auditThresholdMinor, currency) })}</p> : null}
      <div className="cases-row">
        <label>{t('creditAmount', { currency })}<input name="amount" inputMode="decimal" step={step} value={amount} onChange={(e) => setAmount(e.target.value)} required /></label>
        <label>{t('creditReason')}<input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} /></label>
      </div>
      <button type="submit" disabled={outcome?.kind === 'waiting'}>{t('issueCredit')}</button>
      {outcome?.kind === 'needs' ? <button type="button" data-testid="ask-approval" onClick={() => void askApproval()}>{tApproval('ask')}</button> : null}
      {outcome ? (
        <p data-testid="credit-outcome" data-state={outcome.kind === 'done' ? (outcome.audited ? 'audited' : 'granted') : outcome.kind} data-approved-by={outcome.kind === 'done' ? outcome.by ?? '' : ''} className={outcome.kind === 'done' ? '' : 'ws-warn'} role="status">
          {outcome.kind === 'needs' ? t('creditNeedsApproval', { limit: formatMoney(outcome.limit, currency), amount: formatMoney(outcome.amount, currency) })
            : outcome.kind === 'waiting' ? tApproval('waiting', { amount: formatMoney(outcome.amount, currency) })
            : outcome.kind === 'declined' ? tApproval('requestDeclined', { amount: formatMoney(outcome.amount, currency) })
            : outcome.kind === 'expired' ? tApproval('requestExpired', { amount: formatMoney(outcome.amount, currency) })
            : outcome.kind === 'lapsed' ? tApproval('requestLapsed', { amount: formatMoney(outcome.amount, currency) })
            : outcome.kind === 'error' ? outcome.message
            : [outcome.by ? t('creditApproved', { amount: formatMoney(outcome.amount, currency), by: outcome.by }) : t('creditGranted', { amount: formatMoney(outcome.amount, currency) }),
              outcome.audited ? t('creditAudited', { threshold: formatMoney(outcome.threshold, currency) }) : ''].join(' ')}
        </p>
      ) : null}
    </form>
  );
}

/** A case's credit wait as the form shows it; null when there is none. */
function fromWait(w: CreditWait | undefined): Outcome | null {
  if (!w) return null;
  if (w.kind === 'waiting') return { kind: 'waiting', amount: w.amount, requestId: w.requestId };
  const d = w.settled;
  if (d.kind === 'declined' || d.kind === 'expired' || d.kind === 'lapsed') return { kind: d.kind, amount: w.amount };
  if (d.kind === 'credit_failed') return { kind: 'error', message: errorText(d.error) };
  const v = d.result;
  if (v.state === 'needs_approval') return { kind: 'needs', amount: w.amount, limit: v.limitWithoutApprovalMinor };
  return { kind: 'done', amount: w.amount, audited: v.audited, threshold: v.auditThresholdMinor, ...(v.state === 'approved' ? { by: d.by } : {}) };
}
