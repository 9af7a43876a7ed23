import type { Database, Statement } from 'better-sqlite3';
import type { CaseEventBody, StoredEvent } from '../../../src-preload/contract/cases';
import { CaseError, notFound } from '../errors';
import { evidenceRefs } from '../event-refs';
import { indexText, searchableText } from '../segment';
import { createReader } from './reader';
import { reportingWriter } from './reporting';
import { CASE_COLS, toCase, type CaseRow } from './rows';
import type { AppendOptions, CaseDataWriter } from './types';

/**
 * Every write of the case cache, each one IMMEDIATE transaction (the write
 * lock is taken at BEGIN, so a locked file fails fast with `busy` instead of
 * half way through). An append commits the event, the case's updated_at (and
 * status or assignee), the search entry, the evidence links and the outbox row
 * together or not at all. Credits decide against the policy's limits inside
 * the transaction, so the decision and the audit row cannot drift apart.
 */
export function createWriter(db: Database, opts: { outbox: boolean; reporting?: boolean }): CaseDataWriter {
  const read = createReader(db);
  const q = {
    caseById: db.prepare(`SELECT ${CASE_COLS} FROM cases WHERE id = ?`) as Statement<[number], CaseRow>,
    insertCustomer: db.prepare('INSERT INTO customers (name, created_at) VALUES (?, ?)') as Statement<[string, number]>,
    insertPhone: db.prepare('INSERT INTO customer_phones (e164, customer_id) VALUES (?, ?)') as Statement<[string, number]>,
    insertAccount: db.prepare('INSERT INTO accounts (customer_id, number, plan, expected_monthly_minor, currency) VALUES (?, ?, ?, ?, ?)') as Statement<[number, string, string, number, string]>,
    customerExists: db.prepare('SELECT 1 AS one FROM customers WHERE id = ?') as Statement<[number], { one: number }>,
    accountTaken: db.prepare('SELECT 1 AS one FROM accounts WHERE number = ?') as Statement<[string], { one: number }>,
    accountOf: db.prepare('SELECT 1 AS one FROM accounts WHERE id = ? AND customer_id = ?') as Statement<[number, number], { one: number }>,
    insertCase: db.prepare('INSERT INTO cases (customer_id, account_id, subject, status, opened_at, updated_at, assigned_agent, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)') as Statement<[number, number | null, string, string, number, number, string | null, string | null]>,
    setStatus: db.prepare('UPDATE cases SET status = ? WHERE id = ?') as Statement<[string, number]>,
    insertEvent: db.prepare('INSERT INTO events (case_id, customer_id, type, at, agent_id, body) VALUES (?, ?, ?, ?, ?, ?)') as Statement<[number, number, string, number, string, string]>,
    touchCase: db.prepare('UPDATE cases SET updated_at = max(updated_at, @at), status = coalesce(@status, status), assigned_agent = coalesce(@agent, assigned_agent) WHERE id = @id') as Statement<[{ id: number; status: string | null; agent: string | null; at: number }]>,
    insertSearch: db.prepare('INSERT INTO event_search (rowid, body) VALUES (?, ?)') as Statement<[number, string]>,
    hasEvidence: db.prepare('SELECT 1 AS one FROM evidence WHERE sha256 = ?') as Statement<[string], { one: number }>,
    insertEvidence: db.prepare('INSERT OR IGNORE INTO evidence (sha256, mime, bytes, stored_at) VALUES (?, ?, ?, ?)') as Statement<[string, string, number, number]>,
    linkEvidence: db.prepare('INSERT OR IGNORE INTO case_evidence (case_id, sha256) VALUES (?, ?)') as Statement<[number, string]>,
    insertOutbox: db.prepare('INSERT INTO outbox (seq, case_id, next_at) VALUES (?, ?, ?)') as Statement<[number, number, number]>,
    insertReporting: db.prepare('INSERT INTO reporting_outbox (seq, case_id, next_at) VALUES (?, ?, ?)') as Statement<[number, number, number]>,
    insertAudit: db.prepare('INSERT INTO credit_audit (event_seq, case_id, agent_id, amount_minor, currency, threshold_minor, approved_by, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)') as Statement<[number, number, string, number, string, number, string | null, string, number]>,
    markDelivered: db.prepare(`UPDATE outbox SET state = 'delivered', delivered_at = @at, attempts = attempts + 1, last_error = NULL WHERE seq = @seq AND state = 'pending'`) as Statement<[{ seq: number; at: number }]>,
    markRetry: db.prepare('UPDATE outbox SET attempts = attempts + 1, next_at = @at, last_error = @error WHERE seq = @seq AND state = \'pending\'') as Statement<[{ seq: number; at: number; error: string }]>,
    markDead: db.prepare(`UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = @error, next_at = @at WHERE seq = @seq AND state = 'pending'`) as Statement<[{ seq: number; error: string; at: number }]>,
  };

  const appendInTx = (caseId: number, body: CaseEventBody, o: AppendOptions): StoredEvent => {
    const c = q.caseById.get(caseId);
    if (!c) throw notFound(`case ${caseId}`);
    for (const sha of evidenceRefs(body)) {
      if (!q.hasEvidence.get(sha)) throw new CaseError('invalid_argument', `evidence ${sha} is not stored; put it with cases:putEvidence first`);
      q.linkEvidence.run(caseId, sha);
    }
    const seq = Number(q.insertEvent.run(caseId, c.customer_id, body.type, o.at, o.agentId, JSON.stringify(body)).lastInsertRowid);
    q.touchCase.run({ id: caseId, status: o.statusAfter ?? null, agent: o.assignTo ?? null, at: o.at });
    const text = searchableText(body);
    if (text) q.insertSearch.run(seq, indexText(text));
    if (opts.outbox) q.insertOutbox.run(seq, caseId, o.at);
    if (opts.reporting) q.insertReporting.run(seq, caseId, o.at);
    return { seq, caseId, customerId: c.customer_id, at: o.at, agentId: o.agentId, body };
  };

  const createCustomerInTx: CaseDataWriter['createCustomer'] = (input) => {
    for (const e164 of input.phones) {
      const owner = read.customerByE164(e164);
      if (owner) throw new CaseError('conflict', `${e164} already belongs to customer ${owner.id} (${owner.name})`);
    }
    if (input.account && q.accountTaken.get(input.account.number)) throw new CaseError('conflict', `account ${input.account.number} already exists`);
    const id = Number(q.insertCustomer.run(input.name, input.at).lastInsertRowid);
    for (const e164 of input.phones) q.insertPhone.run(e164, id);
    if (input.account) {
      const a = input.account;
      q.insertAccount.run(id, a.number, a.plan, a.expectedMonthlyMinor, a.currency);
    }
    return read.customerById(id)!;
  };

  const immediate = <A extends unknown[], R>(fn: (...a: A) => R) => {
    const tx = db.transaction(fn);
    return (...a: A): R => tx.immediate(...a);
  };

  return {
    ...reportingWriter(db, appendInTx),
    createCustomer: immediate(createCustomerInTx),
    createCase: immediate((input) => {
      if (!q.customerExists.get(input.customerId)) throw notFound(`customer ${input.customerId}`);
      let id: number;
      try {
        id = Number(q.insertCase.run(input.customerId, input.accountId ?? null, input.subject, 'open', input.at, input.at, input.agentId, null).lastInsertRowid);
      } catch (err) {
        if (String((err as Error).message).includes('FOREIGN KEY')) throw new CaseError('not_found', `customer ${input.customerId} or account ${input.accountId} not found`);
        throw err;
      }
      if (input.accountId !== undefined && !q.accountOf.get(input.accountId, input.customerId)) {
        throw new CaseError('invalid_argument', `account ${input.accountId} does not belong to customer ${input.customerId}`);
      }
      const event = appendInTx(id, { type: 'case_opened', subject: input.subject, ...(input.category ? { category: input.category } : {}) }, { agentId: input.agentId, at: input.at });
      return { case: toCase(q.caseById.get(id)!), event };
    }),
    append: immediate(appendInTx),
    putEvidence: immediate((input) => {
      if (!q.caseById.get(input.caseId)) throw notFound(`case ${input.caseId}`);
      q.insertEvidence.run(input.sha256, input.mime, input.bytes, input.at);
      q.linkEvidence.run(input.caseId, input.sha256);
    }),
    issueCredit: immediate((r) => {
      const found = read.caseCurrency(r.caseId);
      if (!found) throw notFound(`case ${r.caseId}`);
      if (found.currency !== r.currency) throw new CaseError('conflict', `case ${r.caseId} is now in ${found.currency ?? 'no currency'}, not ${r.currency}; ask again`);
      if (r.amountMinor > r.limitWithoutApprovalMinor && !r.approvedBy) {
        return { state: 'needs_approval' as const, amountMinor: r.amountMinor, currency: r.currency, limitWithoutApprovalMinor: r.limitWithoutApprovalMinor };
      }
      const state = r.amountMinor > r.limitWithoutApprovalMinor ? 'approved' as const : 'granted' as const;
      const audited = r.amountMinor > r.auditThresholdMinor;
      const event = appendInTx(r.caseId, {
        type: 'credit', amountMinor: r.amountMinor, currency: r.currency, reason: r.reason, state, audited,
        ...(state === 'approved' ? { approvedBy: r.approvedBy } : {}),
      }, { agentId: r.agentId, at: r.at });
      if (audited) q.insertAudit.run(event.seq, r.caseId, r.agentId, r.amountMinor, r.currency, r.auditThresholdMinor, state === 'approved' ? r.approvedBy ?? null : null, r.reason, event.at);
      return { state, audited, event, auditThresholdMinor: r.auditThresholdMinor };
    }),
    importCase: immediate(({ bundle: b, origin, at }) => {
      let customer = null;
      for (const p of b.customer.phones) { customer = read.customerByE164(p); if (customer) break; }
      if (!customer) {
        const acct = b.customer.accounts.find((a) => !q.accountTaken.get(a.number));
        customer = createCustomerInTx({ name: b.customer.name, phones: [...new Set(b.customer.phones)], ...(acct ? { account: acct } : {}), at });
      }
      const accountId = b.case.accountNumber ? customer.accounts.find((a) => a.number === b.case.accountNumber)?.id : undefined;
      const id = Number(q.insertCase.run(customer.id, accountId ?? null, b.case.subject, b.case.status, b.case.openedAt, b.case.openedAt, null, origin).lastInsertRowid);
      for (const ev of b.evidence) q.insertEvidence.run(ev.sha256, ev.mime, ev.bytes, at);
      for (const e of b.events) appendInTx(id, e.body, { at: e.at, agentId: e.agentId });
      q.setStatus.run(b.case.status, id);
      return { caseId: id, events: b.events.length };
    }),
    outboxDelivered: (seq, at) => { q.markDelivered.run({ seq, at }); },
    outboxRetry: (seq, at, error) => { q.markRetry.run({ seq, at, error: error.slice(0, 500) }); },
    outboxDead: (seq, error, at) => { q.markDead.run({ seq, error: error.slice(0, 500), at }); },
  };
}
