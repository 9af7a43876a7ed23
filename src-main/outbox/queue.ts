import type { Database, Statement } from 'better-sqlite3';

export interface OutboxItem {
  seq: number;
  caseId: number;
  customerId: number;
  attempts: number;
  nextAt: number;
  type: string;
  at: number;
  agentId: string;
  body: string;
}

/**
 * The outbox table's operations. The head of each case (its oldest pending
 * row) is the only row of that case that may be sent, which is what keeps
 * delivery in order per case while different cases proceed in parallel.
 */
export class OutboxQueue {
  private readonly heads: Statement<[number], OutboxItem>;
  private readonly markDelivered: Statement<[{ seq: number; now: number }]>;
  private readonly markRetry: Statement<[{ seq: number; at: number; error: string }]>;
  private readonly markDead: Statement<[{ seq: number; error: string; now: number }]>;
  private readonly nextDue: Statement<[], { next_at: number | null }>;
  private readonly counts: Statement<[], { state: string; n: number }>;

  constructor(db: Database) {
    this.heads = db.prepare(`
      SELECT o.seq, o.case_id AS caseId, e.customer_id AS customerId, o.attempts, o.next_at AS nextAt,
             e.type, e.at, e.agent_id AS agentId, e.body
      FROM (SELECT case_id, min(seq) AS seq FROM outbox WHERE state = 'pending' GROUP BY case_id) h
      JOIN outbox o ON o.seq = h.seq
      JOIN events e ON e.seq = o.seq
      ORDER BY o.next_at, o.seq
      LIMIT ?`);
    this.markDelivered = db.prepare(`UPDATE outbox SET state = 'delivered', delivered_at = @now, attempts = attempts + 1, last_error = NULL WHERE seq = @seq AND state = 'pending'`);
    this.markRetry = db.prepare(`UPDATE outbox SET attempts = attempts + 1, next_at = @at, last_error = @error WHERE seq = @seq AND state = 'pending'`);
    this.markDead = db.prepare(`UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = @error, next_at = @now WHERE seq = @seq AND state = 'pending'`);
    this.nextDue = db.prepare(`SELECT min(next_at) AS next_at FROM outbox WHERE state = 'pending'`);
    this.counts = db.prepare(`SELECT state, count(*) AS n FROM outbox GROUP BY state`);
  }

  /** Heads of up to `limit` cases, soonest due first. */
  headsOfCases(limit: number): OutboxItem[] {
    return this.heads.all(limit);
  }

  delivered(seq: number, now: number): void { this.markDelivered.run({ seq, now }); }
  retryAt(seq: number, at: number, error: string): void { this.markRetry.run({ seq, at, error: error.slice(0, 500) }); }
  dead(seq: number, error: string, now: number): void { this.markDead.run({ seq, error: error.slice(0, 500), now }); }
  nextDueAt(): number | null { return this.nextDue.get()?.next_at ?? null; }

  status(): { pending: number; delivered: number; dead: number } {
    const out = { pending: 0, delivered: 0, dead: 0 };
    for (const r of this.counts.all()) out[r.state as keyof typeof out] = r.n;
    return out;
  }
}
