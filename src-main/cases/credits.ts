import type { Database, Statement } from 'better-sqlite3';
import type { AuditEntry, CreditResult } from '../../src-preload/contract/cases';
import type { Policy } from '../policy/policy';
import { CaseError, notFound } from './errors';
import type { CaseLog } from './log';

interface AuditRow { id: number; event_seq: number; case_id: number; agent_id: string; amount_minor: number; currency: string; threshold_minor: number; approved_by: string | null; reason: string; at: number }

/**
 * Credits under policy. Up to the agent's limit: granted. Above it: refused
 * until a supervisor's id comes with the request. Above the audit threshold
 * (granted or approved): the credit event and an audit row commit together;
 * the audit table refuses UPDATE and DELETE (triggers).
 */
export class Credits {
  private readonly currencyOf: Statement<[number], { currency: string | null }>;
  private readonly insertAudit: Statement<[number, number, string, number, string, number, string | null, string, number]>;
  private readonly auditAll: Statement<[], AuditRow>;
  private readonly auditByCase: Statement<[number], AuditRow>;

  constructor(private readonly db: Database, private readonly log: CaseLog, private readonly policy: () => Policy) {
    // The case's own account, else the customer's first account.
    this.currencyOf = db.prepare(`
      SELECT coalesce(
        (SELECT a.currency FROM accounts a WHERE a.id = c.account_id),
        (SELECT a.currency FROM accounts a WHERE a.customer_id = c.customer_id ORDER BY a.id LIMIT 1)
      ) AS currency FROM cases c WHERE c.id = ?`);
    this.insertAudit = db.prepare('INSERT INTO credit_audit (event_seq, case_id, agent_id, amount_minor, currency, threshold_minor, approved_by, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.auditAll = db.prepare('SELECT * FROM credit_audit ORDER BY id DESC LIMIT 500');
    this.auditByCase = db.prepare('SELECT * FROM credit_audit WHERE case_id = ? ORDER BY id DESC');
  }

  currency(caseId: number): string {
    const row = this.currencyOf.get(caseId);
    if (!row) throw notFound(`case ${caseId}`);
    if (!row.currency) throw new CaseError('invalid_argument', `case ${caseId} has no account, so there is no currency to credit in`);
    return row.currency;
  }

  issue(input: { caseId: number; amountMinor: number; reason: string; approvedBy?: string }, agentId: string): CreditResult {
    const currency = this.currency(input.caseId);
    const limits = this.policy().credits(currency);
    if (input.amountMinor > limits.limitWithoutApprovalMinor && !input.approvedBy) {
      return { state: 'needs_approval', amountMinor: input.amountMinor, currency, limitWithoutApprovalMinor: limits.limitWithoutApprovalMinor };
    }
    const state = input.amountMinor > limits.limitWithoutApprovalMinor ? 'approved' as const : 'granted' as const;
    const audited = input.amountMinor > limits.auditThresholdMinor;
    const event = this.db.transaction(() => {
      const e = this.log.appendInTx(input.caseId, {
        type: 'credit', amountMinor: input.amountMinor, currency, reason: input.reason, state, audited,
        ...(state === 'approved' ? { approvedBy: input.approvedBy } : {}),
      }, { agentId });
      if (audited) {
        this.insertAudit.run(e.seq, input.caseId, agentId, input.amountMinor, currency, limits.auditThresholdMinor, state === 'approved' ? input.approvedBy ?? null : null, input.reason, e.at);
      }
      return e;
    }).immediate();
    this.log.onCommit?.(event);
    return { state, audited, event, auditThresholdMinor: limits.auditThresholdMinor };
  }

  auditLog(caseId?: number): AuditEntry[] {
    const rows = caseId === undefined ? this.auditAll.all() : this.auditByCase.all(caseId);
    return rows.map((r) => ({
      id: r.id, eventSeq: r.event_seq, caseId: r.case_id, agentId: r.agent_id, amountMinor: r.amount_minor, currency: r.currency,
      thresholdMinor: r.threshold_minor, approvedBy: r.approved_by, reason: r.reason, at: r.at,
    }));
  }
}
