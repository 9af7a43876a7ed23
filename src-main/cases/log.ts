import type { Database, Statement } from 'better-sqlite3';
import { CaseEventBody, MAX_EVENT_JSON, type CaseRecord, type StoredEvent } from '../../src-preload/contract/cases';
import { CaseError, notFound } from './errors';
import { indexText, searchableText } from './segment';

interface CaseRow { id: number; customer_id: number; account_id: number | null; subject: string; status: CaseRecord['status']; assigned_agent: string | null; opened_at: number; updated_at: number }
interface EventRow { seq: number; case_id: number; customer_id: number; type: string; at: number; agent_id: string; body: string }

const CASE_COLS = 'id, customer_id, account_id, subject, status, assigned_agent, opened_at, updated_at';
const EVENT_COLS = 'seq, case_id, customer_id, type, at, agent_id, body';

export const toCase = (r: CaseRow): CaseRecord => ({
  id: r.id, customerId: r.customer_id, accountId: r.account_id, subject: r.subject, status: r.status,
  assignedAgent: r.assigned_agent, openedAt: r.opened_at, updatedAt: r.updated_at,
});

// Bodies were validated on the way in and events are immutable: parse, don't re-validate.
export const toEvent = (r: EventRow): StoredEvent => ({
  seq: r.seq, caseId: r.case_id, customerId: r.customer_id, at: r.at, agentId: r.agent_id, body: JSON.parse(r.body) as CaseEventBody,
});

/** Evidence hashes an event refers to; each must already be stored. */
export function evidenceRefs(body: CaseEventBody): string[] {
  switch (body.type) {
    case 'snapshot': return [body.sha256, ...(body.thumbSha256 ? [body.thumbSha256] : [])];
    case 'ocr_result': return body.snapshotSha256 ? [body.snapshotSha256] : [];
    case 'annotation_set': return [body.frameSha256, body.compositeSha256].filter((s): s is string => !!s);
    default: return [];
  }
}

export interface AppendOptions { at?: number; agentId: string; statusAfter?: CaseRecord['status']; assignTo?: string }

/**
 * Cases and their append-only event log. An append is one transaction: the
 * event, the case's updated_at (and status for dispositions), the search
 * index, the evidence links and the outbox row commit together or not at all.
 */
export class CaseLog {
  private readonly caseById: Statement<[number], CaseRow>;
  private readonly insertCase: Statement<[number, number | null, string, string, number, number, string | null]>;
  private readonly insertEvent: Statement<[number, number, string, number, string, string]>;
  private readonly touchCase: Statement<[{ id: number; status: string | null; agent: string | null; at: number }]>;
  private readonly insertSearch: Statement<[number, string]>;
  private readonly linkEvidence: Statement<[number, string]>;
  private readonly insertOutbox: Statement<[number, number, number]>;
  private readonly historyStmt: Statement<[number, number, number], EventRow>;
  private readonly timelineStmt: Statement<[number, number], EventRow>;
  private readonly openCasesStmt: Statement<[number], CaseRow>;
  private readonly recentCasesStmt: Statement<[number, number], CaseRow>;
  private readonly hasEvidence: Statement<[string], { one: number }>;
  /** Called after each committed append (the outbox worker listens). */
  onCommit: ((e: StoredEvent) => void) | null = null;

  constructor(private readonly db: Database, private readonly opts: { outbox: boolean; now: () => number }) {
    this.caseById = db.prepare(`SELECT ${CASE_COLS} FROM cases WHERE id = ?`);
    this.insertCase = db.prepare('INSERT INTO cases (customer_id, account_id, subject, status, opened_at, updated_at, assigned_agent) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertEvent = db.prepare('INSERT INTO events (case_id, customer_id, type, at, agent_id, body) VALUES (?, ?, ?, ?, ?, ?)');
    this.touchCase = db.prepare('UPDATE cases SET updated_at = max(updated_at, @at), status = coalesce(@status, status), assigned_agent = coalesce(@agent, assigned_agent) WHERE id = @id');
    this.insertSearch = db.prepare('INSERT INTO event_search (rowid, body) VALUES (?, ?)');
    this.linkEvidence = db.prepare('INSERT OR IGNORE INTO case_evidence (case_id, sha256) VALUES (?, ?)');
    this.insertOutbox = db.prepare('INSERT INTO outbox (seq, case_id, next_at) VALUES (?, ?, ?)');
    this.historyStmt = db.prepare(`SELECT ${EVENT_COLS} FROM events WHERE case_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`);
    this.timelineStmt = db.prepare(`SELECT ${EVENT_COLS} FROM events WHERE customer_id = ? ORDER BY seq DESC LIMIT ?`);
    this.openCasesStmt = db.prepare(`SELECT ${CASE_COLS} FROM cases WHERE customer_id = ? AND status = 'open' ORDER BY updated_at DESC, id DESC LIMIT 20`);
    this.recentCasesStmt = db.prepare(`SELECT ${CASE_COLS} FROM cases WHERE customer_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?`);
    this.hasEvidence = db.prepare('SELECT 1 AS one FROM evidence WHERE sha256 = ?');
  }

  getCase(id: number): CaseRecord | null {
    const r = this.caseById.get(id);
    return r ? toCase(r) : null;
  }

  createCase(input: { customerId: number; accountId?: number; subject: string; agentId: string; origin?: string }): CaseRecord {
    const now = this.opts.now();
    let created: StoredEvent | null = null;
    const c = this.db.transaction(() => {
      let id: number;
      try {
        id = Number(this.insertCase.run(input.customerId, input.accountId ?? null, input.subject, 'open', now, now, input.agentId).lastInsertRowid);
      } catch (err) {
        if (String((err as Error).message).includes('FOREIGN KEY')) throw new CaseError('not_found', `customer ${input.customerId} or account ${input.accountId} not found`);
        throw err;
      }
      if (input.accountId !== undefined) {
        const own = this.db.prepare('SELECT 1 FROM accounts WHERE id = ? AND customer_id = ?').get(input.accountId, input.customerId);
        if (!own) throw new CaseError('invalid_argument', `account ${input.accountId} does not belong to customer ${input.customerId}`);
      }
      if (input.origin) this.db.prepare('UPDATE cases SET origin = ? WHERE id = ?').run(input.origin, id);
      created = this.appendInTx(id, { type: 'case_opened', subject: input.subject }, { agentId: input.agentId, at: now });
      return this.getCase(id)!;
    }).immediate();
    if (created && this.onCommit) this.onCommit(created);
    return c;
  }

  append(caseId: number, body: CaseEventBody, o: AppendOptions): StoredEvent {
    const e = this.db.transaction(() => this.appendInTx(caseId, body, o)).immediate();
    this.onCommit?.(e);
    return e;
  }

  /** The append itself; the caller holds the transaction (credits add their audit row inside it). */
  appendInTx(caseId: number, body: CaseEventBody, o: AppendOptions): StoredEvent {
    const parsed = CaseEventBody.safeParse(body);
    if (!parsed.success) throw new CaseError('invalid_argument', `event: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const json = JSON.stringify(parsed.data);
    if (json.length > MAX_EVENT_JSON) throw new CaseError('invalid_argument', `event is ${json.length} bytes; the limit is ${MAX_EVENT_JSON}`);
    const c = this.caseById.get(caseId);
    if (!c) throw notFound(`case ${caseId}`);
    const at = o.at ?? this.opts.now();
    for (const sha of evidenceRefs(parsed.data)) {
      if (!this.hasEvidence.get(sha)) throw new CaseError('invalid_argument', `evidence ${sha} is not stored; put it with cases:putEvidence first`);
      this.linkEvidence.run(caseId, sha);
    }
    const seq = Number(this.insertEvent.run(caseId, c.customer_id, parsed.data.type, at, o.agentId, json).lastInsertRowid);
    this.touchCase.run({ id: caseId, status: o.statusAfter ?? null, agent: o.assignTo ?? null, at });
    const text = searchableText(parsed.data);
    if (text) this.insertSearch.run(seq, indexText(text));
    if (this.opts.outbox) this.insertOutbox.run(seq, caseId, at);
    return { seq, caseId, customerId: c.customer_id, at, agentId: o.agentId, body: parsed.data };
  }

  /** Newest first. */
  history(caseId: number, beforeSeq = Number.MAX_SAFE_INTEGER, limit = 200): StoredEvent[] {
    return this.historyStmt.all(caseId, beforeSeq, limit).map(toEvent);
  }

  timeline(customerId: number, limit = 50): StoredEvent[] {
    return this.timelineStmt.all(customerId, limit).map(toEvent);
  }

  openCases(customerId: number): CaseRecord[] {
    return this.openCasesStmt.all(customerId).map(toCase);
  }

  recentCases(customerId: number, limit = 10): CaseRecord[] {
    return this.recentCasesStmt.all(customerId, limit).map(toCase);
  }
}
