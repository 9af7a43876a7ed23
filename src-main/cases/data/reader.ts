import type { Database, Statement } from 'better-sqlite3';
import type { Account, AuditEntry, BundleImportEntry, Customer, CaseSegment } from '../../../src-preload/contract/cases';
import type { CaseDataReader, OutboxCounts, OutboxItem, SessionFigures } from './types';
import { reportingReader } from './reporting';
import { CASE_COLS, EVENT_COLS, toCase, toEvent, type AccountRow, type AuditRow, type CaseRow, type CustomerRow, type EventRow, type HitRow } from './rows';

interface BundleImportRow {
  id: number; at: number; agent_id: string; bundle_name: string; manifest_sha256: string | null; origin: string | null; signer_fingerprint: string | null;
  verified_by: string; outcome: string; error_code: string | null; detail: string | null; case_id: number | null; credit_events: number; transfer_events: number;
}

/**
 * Every read of the case cache. Reads that combine several queries run in
 * one (deferred) transaction, so they see one snapshot even while the writer
 * commits between them. Built once per connection: statements are prepared
 * up front and reused.
 */
interface SegmentRow {
  case_id: number; segment_id: string; previous_segment_id: string | null; agent_id: string; via: string; queue: string | null;
  started_at: number; ended_at: number | null; talk_sec: number | null; hold_sec: number | null; acw_sec: number | null; outcome: string | null;
}

export function createReader(db: Database): CaseDataReader {
  const q = {
    installId: db.prepare(`SELECT value FROM meta WHERE key = 'install_id'`) as Statement<[], { value: string }>,
    // Walks events newest first and stops at `limit` sessions (no index on type needed: sessions are frequent).
    recentSessions: db.prepare(`SELECT at, json_extract(body, '$.durationSec') AS durationSec, json_extract(body, '$.firstFrameMs') AS firstFrameMs,
      json_extract(body, '$.reason') AS reason, json_extract(body, '$.noFrameCause') AS noFrameCause
      FROM events WHERE type = 'session_ended' ORDER BY seq DESC LIMIT ?`) as Statement<[number], SessionFigures>,
    customer: db.prepare('SELECT id, name, created_at FROM customers WHERE id = ?') as Statement<[number], CustomerRow>,
    byPhone: db.prepare('SELECT c.id, c.name, c.created_at FROM customer_phones p JOIN customers c ON c.id = p.customer_id WHERE p.e164 = ?') as Statement<[string], CustomerRow>,
    phones: db.prepare('SELECT e164 FROM customer_phones WHERE customer_id = ? ORDER BY e164') as Statement<[number], { e164: string }>,
    accounts: db.prepare('SELECT id, number, plan, expected_monthly_minor, currency FROM accounts WHERE customer_id = ? ORDER BY id') as Statement<[number], AccountRow>,
    caseById: db.prepare(`SELECT ${CASE_COLS} FROM cases WHERE id = ?`) as Statement<[number], CaseRow>,
    history: db.prepare(`SELECT ${EVENT_COLS} FROM events WHERE case_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`) as Statement<[number, number, number], EventRow>,
    timeline: db.prepare(`SELECT ${EVENT_COLS} FROM events WHERE customer_id = ? ORDER BY seq DESC LIMIT ?`) as Statement<[number, number], EventRow>,
    openCases: db.prepare(`SELECT ${CASE_COLS} FROM cases WHERE customer_id = ? AND status = 'open' ORDER BY updated_at DESC, id DESC LIMIT 20`) as Statement<[number], CaseRow>,
    recentCases: db.prepare(`SELECT ${CASE_COLS} FROM cases WHERE customer_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?`) as Statement<[number, number], CaseRow>,
    search: db.prepare(`
      SELECT e.seq, e.case_id, e.customer_id, e.type, e.at, e.body, cu.name, c.subject
      FROM (SELECT rowid FROM event_search WHERE event_search MATCH ? ORDER BY rowid DESC LIMIT ?) s
      JOIN events e ON e.seq = s.rowid
      JOIN cases c ON c.id = e.case_id
      JOIN customers cu ON cu.id = e.customer_id
      ORDER BY e.seq DESC`) as Statement<[string, number], HitRow>,
    // The case's own account, else the customer's first account.
    currency: db.prepare(`
      SELECT coalesce(
        (SELECT a.currency FROM accounts a WHERE a.id = c.account_id),
        (SELECT a.currency FROM accounts a WHERE a.customer_id = c.customer_id ORDER BY a.id LIMIT 1)
      ) AS currency FROM cases c WHERE c.id = ?`) as Statement<[number], { currency: string | null }>,
    auditAll: db.prepare('SELECT * FROM credit_audit ORDER BY id DESC LIMIT 500') as Statement<[], AuditRow>,
    auditByCase: db.prepare('SELECT * FROM credit_audit WHERE case_id = ? ORDER BY id DESC') as Statement<[number], AuditRow>,
    evidenceMime: db.prepare('SELECT mime FROM evidence WHERE sha256 = ?') as Statement<[string], { mime: string }>,
    caseEvidence: db.prepare('SELECT e.sha256, e.mime, e.bytes FROM case_evidence ce JOIN evidence e ON e.sha256 = ce.sha256 WHERE ce.case_id = ? ORDER BY e.sha256') as Statement<[number], { sha256: string; mime: string; bytes: number }>,
    // Evidence through its case: a still is reachable only from a case it is linked to (case_evidence).
    caseEvidenceMime: db.prepare('SELECT e.mime FROM case_evidence ce JOIN evidence e ON e.sha256 = ce.sha256 WHERE ce.case_id = ? AND ce.sha256 = ?') as Statement<[number, string], { mime: string }>,
    bundleImports: db.prepare('SELECT * FROM bundle_imports ORDER BY id DESC LIMIT ?') as Statement<[number], BundleImportRow>,
    origin: db.prepare('SELECT 1 AS one FROM cases WHERE origin = ?') as Statement<[string], { one: number }>,
    // The head of each case (its oldest pending row) is the only row of that case that may be sent:
    // that keeps delivery in order per case while different cases proceed in parallel.
    outboxHeads: db.prepare(`
      SELECT o.seq, o.case_id AS caseId, e.customer_id AS customerId, o.attempts, o.next_at AS nextAt,
             e.type, e.at, e.agent_id AS agentId, e.body
      FROM (SELECT case_id, min(seq) AS seq FROM outbox WHERE state = 'pending' GROUP BY case_id) h
      JOIN outbox o ON o.seq = h.seq
      JOIN events e ON e.seq = o.seq
      ORDER BY o.next_at, o.seq
      LIMIT ?`) as Statement<[number], OutboxItem>,
    outboxCounts: db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state') as Statement<[], { state: string; n: number }>,
    segments: db.prepare(`SELECT case_id, segment_id, previous_segment_id, agent_id, via, queue, started_at, ended_at, talk_sec, hold_sec, acw_sec, outcome
      FROM case_segments WHERE case_id = ? ORDER BY started_at, start_seq`) as Statement<[number], SegmentRow>,
  };

  const accounts = (customerId: number): Account[] =>
    q.accounts.all(customerId).map((a) => ({ id: a.id, number: a.number, plan: a.plan, expectedMonthlyMinor: a.expected_monthly_minor, currency: a.currency }));
  const hydrate = (row: CustomerRow): Customer => ({
    id: row.id, name: row.name, createdAt: row.created_at,
    phones: q.phones.all(row.id).map((p) => p.e164),
    accounts: accounts(row.id),
  });
  const customerById = (id: number) => { const r = q.customer.get(id); return r ? hydrate(r) : null; };
  const customerByE164 = (e164: string) => { const r = q.byPhone.get(e164); return r ? hydrate(r) : null; };
  const snapshot = <A extends unknown[], R>(fn: (...a: A) => R) => db.transaction(fn);

  return {
    ...reportingReader(db),
    installId: () => q.installId.get()!.value,
    integrityCheck: () => (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check),
    recentSessions: (limit) => q.recentSessions.all(limit),
    customerById: snapshot(customerById),
    customerByE164: snapshot(customerByE164),
    accounts,
    screenPop: snapshot((e164: string, recent: number, timeline: number) => {
      const customer = customerByE164(e164);
      if (!customer) return null;
      return {
        customer,
        openCases: q.openCases.all(customer.id).map(toCase),
        recentCases: q.recentCases.all(customer.id, recent).map(toCase),
        timeline: q.timeline.all(customer.id, timeline).map(toEvent),
      };
    }),
    caseById: (id) => { const r = q.caseById.get(id); return r ? toCase(r) : null; },
    caseView: snapshot((id: number, limit: number) => {
      const r = q.caseById.get(id);
      const customer = r ? customerById(r.customer_id) : null;
      if (!r || !customer) return null;
      return { case: toCase(r), customer, events: q.history.all(id, Number.MAX_SAFE_INTEGER, limit).map(toEvent) };
    }),
    history: (caseId, beforeSeq, limit) => q.history.all(caseId, beforeSeq, limit).map(toEvent),
    search: (match, limit) => q.search.all(match, limit).map((r) => ({
      seq: r.seq, caseId: r.case_id, customerId: r.customer_id, customerName: r.name, subject: r.subject, type: r.type, at: r.at, body: JSON.parse(r.body),
    })),
    caseCurrency: (caseId) => q.currency.get(caseId),
    auditLog: (caseId): AuditEntry[] => (caseId === undefined ? q.auditAll.all() : q.auditByCase.all(caseId)).map((r) => ({
      id: r.id, eventSeq: r.event_seq, caseId: r.case_id, agentId: r.agent_id, amountMinor: r.amount_minor, currency: r.currency,
      thresholdMinor: r.threshold_minor, approvedBy: r.approved_by, reason: r.reason, at: r.at,
      caseTotalMinor: r.case_total_minor, agentDayTotalMinor: r.agent_day_total_minor, agentDayThresholdMinor: r.agent_day_threshold_minor,
      triggers: (r.triggers ? r.triggers.split(',') : []) as AuditEntry['triggers'], approvalGrantId: r.approval_grant_id, importedFrom: r.imported_from,
    })),
    evidenceMime: (sha256) => q.evidenceMime.get(sha256)?.mime ?? null,
    caseEvidence: (caseId) => q.caseEvidence.all(caseId),
    caseEvidenceMime: (caseId, sha256) => q.caseEvidenceMime.get(caseId, sha256)?.mime ?? null,
    originImported: (origin) => !!q.origin.get(origin),
    bundleImports: (limit) => q.bundleImports.all(limit).map((r) => ({
      id: r.id, at: r.at, agentId: r.agent_id, bundleName: r.bundle_name, manifestSha256: r.manifest_sha256, origin: r.origin,
      signerFingerprint: r.signer_fingerprint, verifiedBy: r.verified_by as BundleImportEntry['verifiedBy'], outcome: r.outcome as BundleImportEntry['outcome'],
      errorCode: r.error_code, detail: r.detail, caseId: r.case_id, creditEvents: r.credit_events, transferEvents: r.transfer_events,
    })),
    segments: (caseId): CaseSegment[] => q.segments.all(caseId).map((r) => ({
      segmentId: r.segment_id, caseId: r.case_id, previousSegmentId: r.previous_segment_id, agentId: r.agent_id, via: r.via as CaseSegment['via'],
      queue: r.queue, startedAt: r.started_at, endedAt: r.ended_at, talkSec: r.talk_sec, holdSec: r.hold_sec, acwSec: r.acw_sec,
      outcome: r.outcome as CaseSegment['outcome'],
    })),
    outboxHeads: (limit) => q.outboxHeads.all(limit),
    outboxCounts: (): OutboxCounts => {
      const out = { pending: 0, delivered: 0, dead: 0 };
      for (const r of q.outboxCounts.all()) out[r.state as keyof OutboxCounts] = r.n;
      return out;
    },
  };
}
