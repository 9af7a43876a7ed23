/**
 * The case database's side of reporting (issue 14): the reporting outbox
 * (rows queued with each event, like the CRM's) and the inbox of what the
 * reporting node sends back — supervisors' verdicts on credits and
 * customers' survey answers — written into the cases once, with the cursor
 * moved in the same transaction.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { CaseEventBody, StoredEvent } from '../../../src-preload/contract/cases';
import type { AppendOptions, OutboxCounts, OutboxItem } from './types';

export interface InboxReview { id: number; caseId: number; creditSeq: number; verdict: 'fine' | 'questioned'; note: string | null; reviewerId: string }
export interface InboxSurvey { id: number; roomId: string; score: number; comment: string | null }
export interface InboxCursors { reviewsAfter: number; surveysAfter: number }

export interface ReportingDataReader {
  reportingHeads(limit: number): OutboxItem[];
  reportingCounts(): OutboxCounts;
  inboxCursors(): InboxCursors;
}

export interface ReportingDataWriter {
  reportingDelivered(seq: number, at: number): void;
  reportingRetry(seq: number, nextAt: number, error: string): void;
  reportingDead(seq: number, error: string, at: number): void;
  /** Writes each verdict and survey answer into its case (those with no case here are passed over) and moves the cursors; one transaction. */
  applyInbox(input: { reviews: InboxReview[]; surveys: InboxSurvey[]; agentId: string; at: number }): { written: StoredEvent[] };
}

export function reportingReader(db: Database): ReportingDataReader {
  const q = {
    heads: db.prepare(`
      SELECT o.seq, o.case_id AS caseId, e.customer_id AS customerId, o.attempts, o.next_at AS nextAt,
             e.type, e.at, e.agent_id AS agentId, e.body
      FROM (SELECT case_id, min(seq) AS seq FROM reporting_outbox WHERE state = 'pending' GROUP BY case_id) h
      JOIN reporting_outbox o ON o.seq = h.seq
      JOIN events e ON e.seq = o.seq
      ORDER BY o.next_at, o.seq
      LIMIT ?`) as Statement<[number], OutboxItem>,
    counts: db.prepare('SELECT state, count(*) AS n FROM reporting_outbox GROUP BY state') as Statement<[], { state: string; n: number }>,
    cursor: db.prepare('SELECT value FROM meta WHERE key = ?') as Statement<[string], { value: string }>,
  };
  return {
    reportingHeads: (limit) => q.heads.all(limit),
    reportingCounts: () => {
      const out = { pending: 0, delivered: 0, dead: 0 };
      for (const r of q.counts.all()) out[r.state as keyof OutboxCounts] = r.n;
      return out;
    },
    inboxCursors: () => ({
      reviewsAfter: Number(q.cursor.get('reporting_reviews_after')?.value ?? 0),
      surveysAfter: Number(q.cursor.get('reporting_surveys_after')?.value ?? 0),
    }),
  };
}

export function reportingWriter(db: Database, append: (caseId: number, body: CaseEventBody, o: AppendOptions) => StoredEvent): ReportingDataWriter {
  const q = {
    delivered: db.prepare(`UPDATE reporting_outbox SET state = 'delivered', delivered_at = @at, attempts = attempts + 1, last_error = NULL WHERE seq = @seq AND state = 'pending'`) as Statement<[{ seq: number; at: number }]>,
    retry: db.prepare(`UPDATE reporting_outbox SET attempts = attempts + 1, next_at = @at, last_error = @error WHERE seq = @seq AND state = 'pending'`) as Statement<[{ seq: number; at: number; error: string }]>,
    dead: db.prepare(`UPDATE reporting_outbox SET state = 'dead', attempts = attempts + 1, last_error = @error, next_at = @at WHERE seq = @seq AND state = 'pending'`) as Statement<[{ seq: number; error: string; at: number }]>,
    caseExists: db.prepare('SELECT 1 AS one FROM cases WHERE id = ?') as Statement<[number], { one: number }>,
    credit: db.prepare(`SELECT 1 AS one FROM events WHERE seq = ? AND case_id = ? AND type = 'credit'`) as Statement<[number, number], { one: number }>,
    // the case in which this room's call was recorded (newest first)
    caseOfRoom: db.prepare(`SELECT case_id FROM events WHERE type = 'session_started' AND json_extract(body, '$.roomId') = ? ORDER BY seq DESC LIMIT 1`) as Statement<[string], { case_id: number }>,
    setCursor: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value') as Statement<[string, string]>,
    cursor: db.prepare('SELECT value FROM meta WHERE key = ?') as Statement<[string], { value: string }>,
  };
  const apply = db.transaction((input: Parameters<ReportingDataWriter['applyInbox']>[0]) => {
    const written: StoredEvent[] = [];
    let rAfter = Number(q.cursor.get('reporting_reviews_after')?.value ?? 0);
    let sAfter = Number(q.cursor.get('reporting_surveys_after')?.value ?? 0);
    for (const r of input.reviews) {
      if (r.id <= rAfter) continue; // already written (a replayed inbox page)
      rAfter = r.id;
      if (!q.credit.get(r.creditSeq, r.caseId)) continue;
      written.push(append(r.caseId, { type: 'credit_review', creditSeq: r.creditSeq, verdict: r.verdict, reviewerId: r.reviewerId, ...(r.note ? { note: r.note } : {}) }, { agentId: input.agentId, at: input.at }));
    }
    for (const s of input.surveys) {
      if (s.id <= sAfter) continue;
      sAfter = s.id;
      const c = q.caseOfRoom.get(s.roomId);
      if (!c || !q.caseExists.get(c.case_id)) continue;
      written.push(append(c.case_id, { type: 'csat', score: s.score, ...(s.comment ? { comment: s.comment } : {}) }, { agentId: input.agentId, at: input.at }));
    }
    q.setCursor.run('reporting_reviews_after', String(rAfter));
    q.setCursor.run('reporting_surveys_after', String(sAfter));
    return { written };
  });
  return {
    reportingDelivered: (seq, at) => { q.delivered.run({ seq, at }); },
    reportingRetry: (seq, at, error) => { q.retry.run({ seq, at, error: error.slice(0, 500) }); },
    reportingDead: (seq, error, at) => { q.dead.run({ seq, error: error.slice(0, 500), at }); },
    applyInbox: (input) => apply.immediate(input),
  };
}
