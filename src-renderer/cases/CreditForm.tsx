import { useEffect, useState, type FormEvent } from 'react';
import type { Output } from '../../src-preload/api';
import { call } from '../bridge/workstation';
import { useLocale } from '../i18n/react';
import { t } from './messages';
import { currencyDigits } from '../../src-preload/contract/money';
import { formatMoney, parseMoney } from './money';
import { refresh } from './store';
import { errorText } from './error-text';

type Policy = Output<'cases:creditPolicy'>;
type Outcome = { kind: 'needs'; amount: number; limit: number } | { kind: 'done'; amount: number; by?: string; audited: boolean; threshold: number } | { kind: 'error'; message: string };

/** Credits with the policy shown up front: granted, needs approval, or granted and audited. */
export function CreditForm({ caseId, currency }: { caseId: number; currency: string | null }) {
  useLocale();
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [approver, setApprover] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  useEffect(() => {
    if (!currency) return;
    void call('cases:creditPolicy', { currency }).then((r) => { if (r.ok) setPolicy(r.value); });
  }, [currency]);

  if (!currency) return <p className="cases-muted">{t('noAccount')}</p>;

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const minor = parseMoney(amount, currency!);
    if (minor === null || minor <= 0) { setOutcome({ kind: 'error', message: t('error', { message: t('creditAmount', { currency: currency! }) }) }); return; }
    const r = await call('cases:issueCredit', { caseId, amountMinor: minor, reason, ...(approver.trim() ? { approvedBy: approver.trim() } : {}) });
    if (!r.ok) { setOutcome({ kind: 'error', message: errorText(r.error) }); return; }
    if (r.value.state === 'needs_approval') { setOutcome({ kind: 'needs', amount: minor, limit: r.value.limitWithoutApprovalMinor }); return; }
    setOutcome({ kind: 'done', amount: minor, audited: r.value.audited, threshold: r.value.auditThresholdMinor, ...(r.value.state === 'approved' ? { by: approver.trim() } : {}) });
    setAmount(''); setReason(''); setApprover('');
    await refresh();
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
      {outcome?.kind === 'needs' ? <label>{t('approver')}<input name="approver" value={approver} onChange={(e) => setApprover(e.target.value)} maxLength={128} /></label> : null}
      <button type="submit">{t('issueCredit')}</button>
      {outcome ? (
        <p data-testid="credit-outcome" data-state={outcome.kind === 'done' ? (outcome.audited ? 'audited' : 'granted') : outcome.kind} className={outcome.kind === 'done' ? '' : 'ws-warn'} role="status">
          {outcome.kind === 'needs' ? t('creditNeedsApproval', { limit: formatMoney(outcome.limit, currency), amount: formatMoney(outcome.amount, currency) })
            : outcome.kind === 'error' ? outcome.message
            : [outcome.by ? t('creditApproved', { amount: formatMoney(outcome.amount, currency), by: outcome.by }) : t('creditGranted', { amount: formatMoney(outcome.amount, currency) }),
              outcome.audited ? t('creditAudited', { threshold: formatMoney(outcome.threshold, currency) }) : ''].join(' ')}
        </p>
      ) : null}
    </form>
  );
}
