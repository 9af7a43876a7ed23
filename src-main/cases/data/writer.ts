import type { Database, Statement } from 'better-sqlite3';
import type { AuditTrigger, CaseEventBody, StoredEvent } from '../../../src-preload/contract/cases';
import { CaseError, notFound } from '../errors';
import { evidenceRefs } from '../event-refs';
import { indexText, searchableText } from '../segment';
import { localDay } from '../local-day';
import { createReader } from './reader';
import { reportingWriter } from './reporting';
import { CASE_COLS, toCase, type CaseRow } from './rows';
import type { AppendOptions, BundleImportRecord, CaseDataWriter } from './types';

/**
 * Every write of the case cache, each one IMMEDIATE transaction (the write
 * lock is taken at BEGIN, so a locked file fails fast with `busy` instead of
 * half way through). An append commits the event, the case's updated_at (and
 * status or assignee), the search entry, the evidence links and the outbox row
 * together or not at all. Credits decide against the policy's limits inside
 * the transaction, so the decision and the audit row cannot drift apart.
 */
interface AuditInsert {
  seq: number; caseId: number; agentId: string; amount: number; currency: string; threshold: number; approvedBy: string | null; reason: string; at: number;
  caseTotal: number | null; dayTotal: number | null; dayThreshold: number | null; triggers: string; grantId: string | null; importedFrom: string | null;
}

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
    insertAudit: db.prepare(`INSERT INTO credit_audit (event_seq, case_id, agent_id, amount_minor, currency, threshold_minor, approved_by, reason, at,
        case_total_minor, agent_day_total_minor, agent_day_threshold_minor, triggers, approval_grant_id, imported_from)
      VALUES (@seq, @caseId, @agentId, @amount, @currency, @threshold, @approvedBy, @reason, @at, @caseTotal, @dayTotal, @dayThreshold, @triggers, @grantId, @importedFrom)`) as Statement<[AuditInsert]>,
    insertLedger: db.prepare('INSERT INTO credit_ledger (event_seq, case_id, agent_id, amount_minor, currency, at) VALUES (?, ?, ?, ?, ?, ?)') as Statement<[number, number, string, number, string, number]>,
    caseTotal: db.prepare('SELECT coalesce(sum(amount_minor), 0) AS total FROM credit_ledger WHERE case_id = ? AND currency = ?') as Statement<[number, string], { total: number }>,
    agentDayTotal: db.prepare('SELECT coalesce(sum(amount_minor), 0) AS total FROM credit_ledger WHERE agent_id = ? AND currency = ? AND at >= ? AND at < ?') as Statement<[string, string, number, number], { total: number }>,
    insertImport: db.prepare(`INSERT INTO bundle_imports (at, agent_id, bundle_name, manifest_sha256, origin, signer_fingerprint, verified_by, outcome, error_code, detail, case_id, credit_events, transfer_events)
      VALUES (@at, @agentId, @bundleName, @manifestSha256, @origin, @signerFingerprint, @verifiedBy, @outcome, @errorCode, @detail, @caseId, @creditEvents, @transferEvents)`) as Statement<[BundleImportRecord]>,
    insertNonce: db.prepare('INSERT INTO approval_nonces (nonce, grant_id, case_id, event_seq, approver_id, used_at) VALUES (?, ?, ?, ?, ?, ?)') as Statement<[string, string, number, number, string, number]>,
    segment: db.prepare('SELECT agent_id, ended_at FROM case_segments WHERE case_id = ? AND segment_id = ?') as Statement<[number, string], { agent_id: string; ended_at: number | null }>,
    insertSegment: db.prepare(`INSERT INTO case_segments (case_id, segment_id, previous_segment_id, agent_id, via, queue, started_at, start_seq)
      VALUES (@caseId, @segmentId, @previous, @agentId, @via, @queue, @at, @seq)`) as Statement<[{ caseId: number; segmentId: string; previous: string | null; agentId: string; via: string; queue: string | null; at: number; seq: number }]>,
    endSegment: db.prepare(`UPDATE case_segments SET ended_at = @at, end_seq = @seq, talk_sec = @talk, hold_sec = @hold, acw_sec = @acw, outcome = @outcome
      WHERE case_id = @caseId AND segment_id = @segmentId AND ended_at IS NULL`) as Statement<[{ caseId: number; segmentId: string; at: number; seq: number; talk: number; hold: number; acw: number; outcome: string | null }]>,
    nonceUsed: db.prepare('SELECT 1 AS one FROM approval_nonces WHERE nonce = ? OR grant_id = ?') as Statement<[string, string], { one: number }>,
    insertReporting: db.prepare('INSERT INTO reporting_outbox (seq, case_id, next_at) VALUES (?, ?, ?)') as Statement<[number, number, number]>,
    markDelivered: db.prepare(`UPDATE outbox SET state = 'delivered', delivered_at = @at, attempts = attempts + 1, last_error = NULL WHERE seq = @seq AND state = 'pending'`) as Statement<[{ seq: number; at: number }]>,
    markRetry: db.prepare('UPDATE outbox SET attempts = attempts + 1, next_at = @at, last_error = @error WHERE seq = @seq AND state = \'pending\'') as Statement<[{ seq: number; at: number; error: string }]>,
    markDead: db.prepare(`UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = @error, next_at = @at WHERE seq = @seq AND state = 'pending'`) as Statement<[{ seq: number; error: string; at: number }]>,
  };

  /** Segment events keep their rules here, under the write lock: one start per id, an end only of an open segment of the same agent. */
  const checkSegment = (caseId: number, body: CaseEventBody, o: AppendOptions): void => {
    if (body.type === 'segment_started') {
      if (q.segment.get(caseId, body.segmentId)) throw new CaseError('conflict', `segment ${body.segmentId} of case ${caseId} already started`);
      if (body.previousSegmentId !== undefined && !q.segment.get(caseId, body.previousSegmentId)) {
        throw new CaseError('invalid_argument', `previous segment ${body.previousSegmentId} is not in case ${caseId}`);
      }
    } else if (body.type === 'segment_ended') {
      const seg = q.segment.get(caseId, body.segmentId);
      if (!seg) throw notFound(`segment ${body.segmentId} of case ${caseId}`);
      if (seg.ended_at !== null) throw new CaseError('conflict', `segment ${body.segmentId} already ended`);
      if (seg.agent_id !== o.agentId) throw new CaseError('forbidden', `segment ${body.segmentId} is ${seg.agent_id}'s; only that agent ends it`);
    }
  };

  const projectSegment = (caseId: number, seq: number, body: CaseEventBody, o: AppendOptions): void => {
    if (body.type === 'segment_started') {
      q.insertSegment.run({ caseId, segmentId: body.segmentId, previous: body.previousSegmentId ?? null, agentId: o.agentId, via: body.via, queue: body.queue ?? null, at: o.at, seq });
    } else if (body.type === 'segment_ended') {
      q.endSegment.run({ caseId, segmentId: body.segmentId, at: o.at, seq, talk: body.talkSec, hold: body.holdSec, acw: body.acwSec, outcome: body.outcome ?? null });
    }
  };

  const appendInTx = (caseId: number, body: CaseEventBody, o: AppendOptions): StoredEvent => {
    const c = q.caseById.get(caseId);
    if (!c) throw notFound(`case ${caseId}`);
    checkSegment(caseId, body, o);
    for (const sha of evidenceRefs(body)) {
      if (!q.hasEvidence.get(sha)) throw new CaseError('invalid_argument', `evidence ${sha} is not stored; put it with cases:putEvidence first`);
      q.linkEvidence.run(caseId, sha);
    }
    const seq = Number(q.insertEvent.run(caseId, c.customer_id, body.type, o.at, o.agentId, JSON.stringify(body)).lastInsertRowid);
    q.touchCase.run({ id: caseId, status: o.statusAfter ?? null, agent: o.assignTo ?? null, at: o.at });
    const text = searchableText(body);
    if (text) q.insertSearch.run(seq, indexText(text));
    if (opts.outbox && !o.imported) q.insertOutbox.run(seq, caseId, o.at);
    // an imported event was already reported by the installation that exported it
    if (opts.reporting && !o.imported) q.insertReporting.run(seq, caseId, o.at);
    if (body.type === 'credit') q.insertLedger.run(seq, caseId, o.agentId, body.amountMinor, body.currency, o.at);
    projectSegment(caseId, seq, body, o);
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
      const c = q.caseById.get(r.caseId);
      if (!c) throw notFound(`case ${r.caseId}`);
      if (c.status !== 'open') throw new CaseError('case_closed', `case ${r.caseId} is ${c.status}; no credits on a closed case`);
      const found = read.caseCurrency(r.caseId);
      if (found?.currency !== r.currency) throw new CaseError('conflict', `case ${r.caseId} is now in ${found?.currency ?? 'no currency'}, not ${r.currency}; ask again`);
      // A grant is good for one credit: checked here, under the write lock, and recorded with the credit below.
      if (r.approval && r.approval.nonce && q.nonceUsed.get(r.approval.nonce, r.approval.grantId)) throw new CaseError('approval_replayed', 'this approval was already used for a credit; ask the supervisor again');
      // Running totals, read under the write lock taken at BEGIN IMMEDIATE: no other write can land between this sum and the insert.
      const caseBefore = q.caseTotal.get(r.caseId, r.currency)!.total;
      const dayBefore = q.agentDayTotal.get(r.agentId, r.currency, r.dayStartMs, r.dayEndMs)!.total;
      const caseAfter = caseBefore + r.amountMinor;
      const dayAfter = dayBefore + r.amountMinor;
      const exceeds: ('case_total' | 'agent_day_total')[] = [];
      if (caseAfter > r.limits.case.limitWithoutApprovalMinor) exceeds.push('case_total');
      if (dayAfter > r.limits.agentDay.limitWithoutApprovalMinor) exceeds.push('agent_day_total');
      if (exceeds.length > 0 && !r.approval) {
        return {
          state: 'needs_approval' as const, amountMinor: r.amountMinor, currency: r.currency,
          limitWithoutApprovalMinor: r.limits.case.limitWithoutApprovalMinor, agentDayLimitWithoutApprovalMinor: r.limits.agentDay.limitWithoutApprovalMinor,
          caseTotalMinor: caseBefore, agentDayTotalMinor: dayBefore, exceeds,
        };
      }
      const approval = exceeds.length > 0 ? r.approval : null;
      const state = approval ? 'approved' as const : 'granted' as const;
      const triggers: AuditTrigger[] = [];
      if (approval) triggers.push('approval');
      if (caseAfter > r.limits.case.auditThresholdMinor) triggers.push('case_total');
      if (dayAfter > r.limits.agentDay.auditThresholdMinor) triggers.push('agent_day_total');
      const audited = triggers.length > 0;
      const event = appendInTx(r.caseId, {
        type: 'credit', amountMinor: r.amountMinor, currency: r.currency, reason: r.reason, state, audited,
        ...(approval ? { approvedBy: approval.approverId, approverName: approval.approverName, ...(approval.grantId ? { grantId: approval.grantId } : {}) } : {}),
      }, { agentId: r.agentId, at: r.at });
      if (approval && approval.nonce) q.insertNonce.run(approval.nonce, approval.grantId, r.caseId, event.seq, approval.approverId, r.at);
      if (audited) {
        q.insertAudit.run({
          seq: event.seq, caseId: r.caseId, agentId: r.agentId, amount: r.amountMinor, currency: r.currency, threshold: r.limits.case.auditThresholdMinor,
          approvedBy: approval?.approverId ?? null, reason: r.reason, at: event.at, caseTotal: caseAfter, dayTotal: dayAfter,
          dayThreshold: r.limits.agentDay.auditThresholdMinor, triggers: triggers.join(','), grantId: approval?.grantId || null, importedFrom: null,
        });
      }
      return { state, audited, event, auditThresholdMinor: r.limits.case.auditThresholdMinor, caseTotalMinor: caseAfter, agentDayTotalMinor: dayAfter, auditTriggers: triggers };
    }),
    importCase: immediate(({ bundle: b, origin, at, limits, record }) => {
      const limits_ = (currency: string) => {
        const l = limits[currency];
        if (!l) throw new CaseError('invalid_argument', `no credit policy for ${currency}`);
        return l;
      };
      let customer = null;
      for (const p of b.customer.phones) { customer = read.customerByE164(p); if (customer) break; }
      if (!customer) {
        const acct = b.customer.accounts.find((a) => !q.accountTaken.get(a.number));
        customer = createCustomerInTx({ name: b.customer.name, phones: [...new Set(b.customer.phones)], ...(acct ? { account: acct } : {}), at });
      }
      const accountId = b.case.accountNumber ? customer.accounts.find((a) => a.number === b.case.accountNumber)?.id : undefined;
      const id = Number(q.insertCase.run(customer.id, accountId ?? null, b.case.subject, b.case.status, b.case.openedAt, b.case.openedAt, null, origin).lastInsertRowid);
      for (const ev of b.evidence) q.insertEvidence.run(ev.sha256, ev.mime, ev.bytes, at);
      let audited = 0;
      let credits = 0;
      let transfers = 0;
      for (const e of b.events) {
        let body = e.body;
        let audit: AuditInsert | null = null;
        if (body.type === 'transfer') transfers++;
        if (body.type === 'credit') {
          credits++;
          // The audit is rebuilt, not copied: running totals and the audit flag are recomputed here, from the
          // ledger as it grows and this installation's thresholds, whatever the file claims.
          const limits = limits_(body.currency);
          const day = localDay(e.at);
          const caseAfter = q.caseTotal.get(id, body.currency)!.total + body.amountMinor;
          const dayAfter = q.agentDayTotal.get(e.agentId, body.currency, day.start, day.end)!.total + body.amountMinor;
          const triggers: AuditTrigger[] = ['imported'];
          if (body.state === 'approved') triggers.push('approval');
          if (caseAfter > limits.case.auditThresholdMinor) triggers.push('case_total');
          if (dayAfter > limits.agentDay.auditThresholdMinor) triggers.push('agent_day_total');
          body = { ...body, audited: triggers.length > 1 };
          if (body.audited) {
            audit = {
              seq: 0, caseId: id, agentId: e.agentId, amount: body.amountMinor, currency: body.currency, threshold: limits.case.auditThresholdMinor,
              approvedBy: body.approvedBy ?? null, reason: body.reason, at: e.at, caseTotal: caseAfter, dayTotal: dayAfter,
              dayThreshold: limits.agentDay.auditThresholdMinor, triggers: triggers.join(','), grantId: body.grantId ?? null, importedFrom: origin,
            };
          }
        }
        // Sent to the CRM by the exporting installation already: no outbox rows for them here.
        const stored = appendInTx(id, body, { at: e.at, agentId: e.agentId, imported: true });
        if (audit) { q.insertAudit.run({ ...audit, seq: stored.seq }); audited++; }
      }
      q.setStatus.run(b.case.status, id);
      q.insertImport.run({ ...record, outcome: 'imported', errorCode: null, detail: null, caseId: id, creditEvents: credits, transferEvents: transfers });
      return { caseId: id, events: b.events.length, audited };
    }),
    recordBundleImport: (row) => { q.insertImport.run(row); },
    outboxDelivered: (seq, at) => { q.markDelivered.run({ seq, at }); },
    outboxRetry: (seq, at, error) => { q.markRetry.run({ seq, at, error: error.slice(0, 500) }); },
    outboxDead: (seq, error, at) => { q.markDead.run({ seq, error: error.slice(0, 500), at }); },
  };
}
