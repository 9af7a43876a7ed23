/**
 * ReportingStore on SQL: the one implementation of the queries, over the
 * SQLite or PostgreSQL adapter (sql/). `openReportingStore` picks the engine
 * from the configured location: a `postgres://` URL or a file path.
 */
import { randomBytes } from 'node:crypto';
import { migrate } from './sql/schema';
import type { SqlDb, SqlExec, SqlValue } from './sql/db';
import { openSqlite } from './sql/sqlite';
import { openPostgres } from './sql/postgres';
import { bodyProblem, contactIdOf, project } from './projection';
import { frameBucketBounds, markDirtyWhere, refreshRollups, type Dim } from './rollup';
import type { ReportingStore, ReviewResult } from './store';
import {
  DAY_MS, DEFAULT_KPI_SETTINGS, Delivery, MAX_WINDOW_DAYS, dayFromIso, isoDay,
  type AuditItem, type ContactRow, type GroupBy, type IngestResult, type KpiFilter, type KpiReport, type KpiRow, type KpiSettings, type ReviewRecord, type SurveyRecord, type Verdict,
} from './types';

const GROUP_COLUMN: Record<GroupBy, string> = { day: 'day', queue: 'queue', agent: 'agent_id', category: 'category' };

export async function openReportingStore(location: string): Promise<ReportingStore> {
  const db = /^postgres(ql)?:\/\//.test(location) ? openPostgres(location) : openSqlite(location);
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return new SqlReportingStore(db);
}

interface Where { sql: string, params: SqlValue[] }

function whereOf(f: KpiFilter, opts: { agentCol?: string } = {}): Where {
  const from = dayFromIso(f.from);
  const to = dayFromIso(f.to);
  const parts = ['day BETWEEN ? AND ?'];
  const params: SqlValue[] = [from, to];
  if (f.agentId) { parts.push(`${opts.agentCol ?? 'agent_id'} = ?`); params.push(f.agentId); }
  if (f.queue) { parts.push('queue = ?'); params.push(f.queue); }
  if (f.category) { parts.push('category = ?'); params.push(f.category); }
  return { sql: parts.join(' AND '), params };
}

/** Which roll-up answers a query: one dimension (and its value when filtered on it), or null for the base tables. */
interface Roll { dim: Dim, val?: string }
const DIM_OF: Record<Exclude<GroupBy, 'day'>, Dim> = { agent: 'agent', queue: 'queue', category: 'category' };

export function rollupFor(f: KpiFilter, groupBy: GroupBy | null): Roll | null {
  const filters: Array<[Dim, string]> = [];
  if (f.agentId) filters.push(['agent', f.agentId]);
  if (f.queue) filters.push(['queue', f.queue]);
  if (f.category) filters.push(['category', f.category]);
  const gdim = groupBy && groupBy !== 'day' ? DIM_OF[groupBy] : null;
  if (filters.length === 0) return { dim: gdim ?? 'all' };
  if (filters.length === 1 && (gdim === null || gdim === filters[0]![0])) return { dim: filters[0]![0], val: filters[0]![1] };
  return null;
}

function rollWhere(f: KpiFilter, r: Roll): Where {
  const parts = ['dim = ?', 'day BETWEEN ? AND ?'];
  const params: SqlValue[] = [r.dim, dayFromIso(f.from), dayFromIso(f.to)];
  if (r.val !== undefined) { parts.push('val = ?'); params.push(r.val); }
  return { sql: parts.join(' AND '), params };
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const num = (v: unknown): number => (v == null ? 0 : Number(v));

function emptyRow(key: string): KpiRow {
  return {
    key, contacts: 0, closed: 0,
    fcr: { resolvedFirst: 0, rate: null },
    aht: { segments: 0, avgSec: null },
    csat: { n: 0, topTwo: 0, rate: null, suppressed: true, offered: 0, responseRate: null },
    dispatches: { candidates: 0, avoided: 0 },
    visual: { sessions: 0, share: null, noFrame: 0 },
    credits: { count: 0, sumMinor: {}, audited: 0, questioned: 0, auditedShare: null, questionedShare: null },
  };
}

/** The handle-time seconds behind each row's average, for summing rows exactly. */
const HANDLE = new WeakMap<KpiRow, number>();

function sumRows(rows: readonly KpiRow[], s: KpiSettings): KpiRow {
  const t = emptyRow('all');
  let handle = 0;
  let top = 0;
  for (const r of rows) {
    t.contacts += r.contacts; t.closed += r.closed;
    t.fcr.resolvedFirst += r.fcr.resolvedFirst;
    t.aht.segments += r.aht.segments; handle += HANDLE.get(r) ?? 0;
    t.csat.n += r.csat.n; t.csat.offered += r.csat.offered; top += TOP_TWO.get(r) ?? 0;
    t.dispatches.candidates += r.dispatches.candidates; t.dispatches.avoided += r.dispatches.avoided;
    t.visual.sessions += r.visual.sessions; t.visual.noFrame += r.visual.noFrame;
    t.credits.count += r.credits.count; t.credits.audited += r.credits.audited; t.credits.questioned += r.credits.questioned;
    for (const [c, v] of Object.entries(r.credits.sumMinor)) t.credits.sumMinor[c] = (t.credits.sumMinor[c] ?? 0) + v;
  }
  t.fcr.rate = ratio(t.fcr.resolvedFirst, t.closed);
  t.aht.avgSec = ratio(handle, t.aht.segments);
  const suppressed = t.csat.n < s.csatMinN;
  t.csat = { ...t.csat, topTwo: suppressed ? 0 : top, rate: suppressed ? null : ratio(top, t.csat.n), suppressed, responseRate: ratio(t.csat.n, t.csat.offered) };
  t.visual.share = ratio(t.visual.sessions, t.contacts);
  t.credits.auditedShare = ratio(t.credits.audited, t.credits.count);
  t.credits.questionedShare = ratio(t.credits.questioned, t.credits.audited);
  return t;
}

/** A row's top-two count even when its own rate is suppressed (the total may not be). */
const TOP_TWO = new WeakMap<KpiRow, number>();

export class SqlReportingStore implements ReportingStore {
  /** Read dashboards from the daily roll-ups where they answer the query (tests turn it off to compare with the base tables). */
  useRollups = true;
  constructor(private readonly db: SqlDb) {}
  get dialect() { return this.db.dialect; }

  async ingest(event: Delivery, receivedAt: number): Promise<IngestResult> {
    const parsed = Delivery.safeParse(event);
    if (!parsed.success) return { ok: false, code: 'invalid', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
    const problem = bodyProblem(parsed.data);
    if (problem) return { ok: false, code: 'invalid', message: problem };
    const stored = await this.db.tx((x) => this.ingestIn(x, parsed.data, receivedAt), { exclusive: true });
    return { ok: true, duplicate: !stored };
  }

  async ingestMany(events: readonly Delivery[], receivedAt: number) {
    let stored = 0;
    let duplicates = 0;
    let invalid = 0;
    await this.db.tx(async (x) => {
      for (const e of events) {
        const p = Delivery.safeParse(e);
        // a body the KPIs cannot read is refused alone, not the whole batch
        if (!p.success || bodyProblem(p.data)) { invalid++; continue; }
        if (await this.ingestIn(x, p.data, receivedAt)) stored++;
        else duplicates++;
      }
    }, { exclusive: true });
    return { stored, duplicates, invalid };
  }

  /** true when new. */
  private async ingestIn(x: SqlExec, e: Delivery, receivedAt: number): Promise<boolean> {
    const n = await x.run(`INSERT INTO events (key, install_id, seq, case_id, type, at, agent_id, body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (key) DO NOTHING`, [e.idempotencyKey, e.installId, e.seq, e.caseId, e.type, e.at, e.agentId, JSON.stringify(e.body), receivedAt]);
    if (!n) return false;
    await project(x, e);
    return true;
  }

  /** Rebuild the roll-ups of the days ingest changed since the last read (all of them, a batch at a time). */
  async refreshRollups(): Promise<number> {
    // Most reads find nothing to rebuild: answer that without the exclusive transaction (on PostgreSQL an
    // advisory lock that queues behind ingest). A day marked just after this look is read as it was before
    // that ingest, which is what a read a moment earlier would have seen.
    if (!(await this.db.all<{ day: number }>('SELECT day FROM rollup_dirty LIMIT 1')).length) return 0;
    let total = 0;
    for (;;) {
      const n = await this.db.tx((x) => refreshRollups(x), { exclusive: true });
      total += n;
      if (n === 0) return total;
    }
  }

  async kpis(filter: KpiFilter, groupBy: GroupBy | null, over: Partial<KpiSettings> = {}): Promise<KpiReport> {
    const settings: KpiSettings = { ...DEFAULT_KPI_SETTINGS, ...over };
    settings.fcrWindowDays = Math.min(Math.max(0, settings.fcrWindowDays), MAX_WINDOW_DAYS);
    settings.dispatchWindowDays = Math.min(Math.max(0, settings.dispatchWindowDays), MAX_WINDOW_DAYS);
    const roll = this.useRollups ? rollupFor(filter, groupBy) : null;
    if (roll) await this.refreshRollups();
    // the groups partition the filter, so the total is their sum (one pass over the rows, not two)
    const grouped = groupBy ? await this.rows(filter, groupBy, settings, roll) : [];
    const total = groupBy ? [sumRows(grouped, settings)] : await this.rows(filter, null, settings, roll);
    const w = whereOf(filter);
    // totals over every value of a dimension are the day's totals: read the smaller 'all' roll-up for them
    const rw = roll ? rollWhere(filter, roll.val === undefined ? { dim: 'all' } : roll) : null;
    const framesN = rw
      ? num((await this.db.all<{ n: number }>(`SELECT sum(n) AS n FROM rollup_frames WHERE ${rw.sql}`, rw.params))[0]?.n)
      : num((await this.db.all<{ n: number }>(`SELECT count(*) AS n FROM contacts WHERE ${w.sql} AND first_frame_ms IS NOT NULL`, w.params))[0]?.n);
    // nearest rank: with a roll-up, find the 100 ms bucket holding the rank, then read only that bucket's contacts
    const hist = rw && framesN ? await this.db.all<{ b: number, n: number }>(`SELECT bucket AS b, sum(n) AS n FROM rollup_frames WHERE ${rw.sql} GROUP BY bucket ORDER BY bucket`, rw.params) : [];
    const rank = async (p: number): Promise<number | null> => {
      if (!framesN) return null;
      let offset = Math.max(0, Math.ceil(p * framesN) - 1);
      let range = '';
      const params: SqlValue[] = [...w.params];
      if (rw) {
        let below = 0;
        const hit = hist.find((h) => { const n = num(h.n); if (offset < below + n) return true; below += n; return false; });
        if (!hit) return null;
        const [lo, hi] = frameBucketBounds(num(hit.b));
        offset -= below;
        range = ' AND first_frame_ms >= ? AND first_frame_ms < ?';
        params.push(lo, hi);
      }
      const r = await this.db.all<{ v: number }>(`SELECT first_frame_ms AS v FROM contacts WHERE ${w.sql} AND first_frame_ms IS NOT NULL${range} ORDER BY first_frame_ms LIMIT 1 OFFSET ?`, [...params, offset]);
      return r[0] ? num(r[0].v) : null;
    };
    const [p50, p90, causes, credits] = await Promise.all([
      rank(0.5), rank(0.9),
      rw
        ? this.db.all<{ cause: string, n: number }>(`SELECT cause, sum(n) AS n FROM rollup_causes WHERE ${rw.sql} GROUP BY cause ORDER BY sum(n) DESC, cause`, rw.params)
        : this.db.all<{ cause: string, n: number }>(`SELECT no_frame_cause AS cause, count(*) AS n FROM contacts WHERE ${w.sql} AND visual = 1 AND first_frame_ms IS NULL AND no_frame_cause IS NOT NULL GROUP BY no_frame_cause ORDER BY count(*) DESC, no_frame_cause`, w.params),
      rw
        ? this.db.all<{ agent_id: string, currency: string, n: number, total: number, audited: number, questioned: number }>(
          `SELECT agent_id, currency, sum(n) AS n, sum(total) AS total, sum(audited) AS audited, sum(questioned) AS questioned
           FROM rollup_credits WHERE ${rw.sql} GROUP BY agent_id, currency ORDER BY agent_id, currency`, rw.params)
        : this.db.all<{ agent_id: string, currency: string, n: number, total: number, audited: number, questioned: number }>(
          `SELECT agent_id, currency, count(*) AS n, sum(amount_minor) AS total, sum(audited) AS audited, sum(CASE WHEN verdict = 'questioned' THEN 1 ELSE 0 END) AS questioned
           FROM credits WHERE ${w.sql} GROUP BY agent_id, currency ORDER BY agent_id, currency`, w.params),
    ]);
    return {
      filter, groupBy, settings,
      total: total[0] ?? emptyRow('all'),
      rows: grouped,
      firstFrame: { n: framesN, p50Ms: p50, p90Ms: p90 },
      noFrameByCause: causes.map((c) => ({ cause: c.cause, n: num(c.n) })),
      credits: credits.map((c) => ({ agentId: c.agent_id, currency: c.currency, count: num(c.n), sumMinor: num(c.total), audited: num(c.audited), questioned: num(c.questioned) })),
    };
  }

  private async rows(filter: KpiFilter, groupBy: GroupBy | null, s: KpiSettings, roll: Roll | null): Promise<KpiRow[]> {
    if (roll) return this.rowsFromRollups(filter, groupBy, s, roll);
    const g = groupBy ? GROUP_COLUMN[groupBy] : `'all'`;
    const w = whereOf(filter);
    // the total has no GROUP BY (PostgreSQL refuses to group or order by a constant)
    const by = (extra = '') => (groupBy ? ` GROUP BY ${g}${extra}` : extra ? ` GROUP BY ${extra.slice(2)}` : '');
    const fcrMs = s.fcrWindowDays * DAY_MS;
    const dispMs = s.dispatchWindowDays * DAY_MS;
    const [contacts, segments, credits] = await Promise.all([
      this.db.all<Record<string, number | string>>(`SELECT ${g} AS g, count(*) AS contacts,
          sum(CASE WHEN outcome IS NOT NULL THEN 1 ELSE 0 END) AS closed,
          sum(CASE WHEN outcome = 'resolved_remote' AND (next_gap_ms IS NULL OR next_gap_ms > ?) THEN 1 ELSE 0 END) AS fcr,
          sum(CASE WHEN dispatch_candidate = 1 AND outcome IS NOT NULL THEN 1 ELSE 0 END) AS candidates,
          sum(CASE WHEN dispatch_candidate = 1 AND outcome = 'resolved_remote' AND (next_dispatch_gap_ms IS NULL OR next_dispatch_gap_ms > ?) THEN 1 ELSE 0 END) AS avoided,
          sum(visual) AS visual,
          sum(CASE WHEN visual = 1 AND first_frame_ms IS NULL AND no_frame_cause IS NOT NULL THEN 1 ELSE 0 END) AS no_frame,
          sum(CASE WHEN csat_score IS NOT NULL THEN 1 ELSE 0 END) AS csat_n,
          sum(CASE WHEN csat_score >= 4 THEN 1 ELSE 0 END) AS csat_top
        FROM contacts WHERE ${w.sql}${by()}`, [fcrMs, dispMs, ...w.params]),
      this.db.all<{ g: number | string, n: number, handle: number }>(`SELECT ${g} AS g, count(*) AS n, sum(handle_sec) AS handle
        FROM segments WHERE ${w.sql} AND handle_sec IS NOT NULL${by()}`, w.params),
      this.db.all<{ g: number | string, currency: string, n: number, total: number, audited: number, questioned: number }>(`SELECT ${g} AS g, currency, count(*) AS n, sum(amount_minor) AS total, sum(audited) AS audited,
          sum(CASE WHEN verdict = 'questioned' THEN 1 ELSE 0 END) AS questioned
        FROM credits WHERE ${w.sql}${by(', currency')}`, w.params),
    ]);
    const keyOf = (v: number | string) => (groupBy === 'day' ? isoDay(Number(v)) : String(v));
    const out = new Map<string, KpiRow>();
    const row = (k: string) => { let r = out.get(k); if (!r) { r = emptyRow(k); out.set(k, r); } return r; };
    for (const c of contacts) {
      const r = row(keyOf(c.g!));
      r.contacts = num(c.contacts);
      r.closed = num(c.closed);
      r.fcr = { resolvedFirst: num(c.fcr), rate: ratio(num(c.fcr), r.closed) };
      r.dispatches = { candidates: num(c.candidates), avoided: num(c.avoided) };
      r.visual = { sessions: num(c.visual), share: ratio(num(c.visual), r.contacts), noFrame: num(c.no_frame) };
      setCsat(r, num(c.csat_n), num(c.csat_top), num(c.visual), s.csatMinN);
    }
    return finishRows(out, row, keyOf, segments, credits);
  }

  /** The same rows from the daily roll-ups (rollup.ts): sums of days, gaps counted by whole days of gap. */
  private async rowsFromRollups(filter: KpiFilter, groupBy: GroupBy | null, s: KpiSettings, roll: Roll): Promise<KpiRow[]> {
    const rw = rollWhere(filter, roll);
    const g = groupBy === 'day' ? 'day' : groupBy ? 'val' : `'all'`;
    const by = groupBy ? ` GROUP BY ${g}` : '';
    const [contacts, gaps, segments, credits] = await Promise.all([
      this.db.all<Record<string, number | string>>(`SELECT ${g} AS g, sum(contacts) AS contacts, sum(closed) AS closed, sum(resolved) AS resolved,
          sum(candidates) AS candidates, sum(cand_resolved) AS cand_resolved, sum(visual) AS visual, sum(no_frame) AS no_frame,
          sum(csat_n) AS csat_n, sum(csat_top) AS csat_top
        FROM rollup_contacts WHERE ${rw.sql}${by}`, rw.params),
      // repeats inside the window: gap_days < W (gap <= W days); outside it they still count as resolved first
      this.db.all<{ g: number | string, kind: string, n: number }>(`SELECT ${g} AS g, kind, sum(n) AS n FROM rollup_gaps
        WHERE ${rw.sql} AND ((kind = 'fcr' AND gap_days < ?) OR (kind = 'dispatch' AND gap_days < ?)) GROUP BY ${groupBy ? `${g}, ` : ''}kind`, [...rw.params, s.fcrWindowDays, s.dispatchWindowDays]),
      this.db.all<{ g: number | string, n: number, handle: number }>(`SELECT ${g} AS g, sum(n) AS n, sum(handle) AS handle FROM rollup_segments WHERE ${rw.sql}${by}`, rw.params),
      this.db.all<{ g: number | string, currency: string, n: number, total: number, audited: number, questioned: number }>(`SELECT ${g} AS g, currency, sum(n) AS n, sum(total) AS total,
          sum(audited) AS audited, sum(questioned) AS questioned FROM rollup_credits WHERE ${rw.sql} GROUP BY ${groupBy ? `${g}, ` : ''}currency`, rw.params),
    ]);
    const keyOf = (v: number | string) => (groupBy === 'day' ? isoDay(Number(v)) : String(v));
    const out = new Map<string, KpiRow>();
    const row = (k: string) => { let r = out.get(k); if (!r) { r = emptyRow(k); out.set(k, r); } return r; };
    const repeats = new Map<string, { fcr: number, dispatch: number }>();
    for (const x of gaps) {
      const k = keyOf(x.g);
      const v = repeats.get(k) ?? { fcr: 0, dispatch: 0 };
      if (x.kind === 'fcr') v.fcr += num(x.n); else v.dispatch += num(x.n);
      repeats.set(k, v);
    }
    for (const c of contacts) {
      if (c.contacts == null || num(c.contacts) === 0) continue;
      const k = keyOf(c.g!);
      const r = row(k);
      const rep = repeats.get(k) ?? { fcr: 0, dispatch: 0 };
      r.contacts = num(c.contacts);
      r.closed = num(c.closed);
      const fcr = num(c.resolved) - rep.fcr;
      r.fcr = { resolvedFirst: fcr, rate: ratio(fcr, r.closed) };
      r.dispatches = { candidates: num(c.candidates), avoided: num(c.cand_resolved) - rep.dispatch };
      r.visual = { sessions: num(c.visual), share: ratio(num(c.visual), r.contacts), noFrame: num(c.no_frame) };
      setCsat(r, num(c.csat_n), num(c.csat_top), num(c.visual), s.csatMinN);
    }
    return finishRows(out, row, keyOf, segments, credits);
  }

  async contacts(filter: KpiFilter, opts: { limit?: number, offset?: number, fcrWindowDays?: number } = {}): Promise<ContactRow[]> {
    const w = whereOf(filter);
    const fcrMs = Math.min(opts.fcrWindowDays ?? DEFAULT_KPI_SETTINGS.fcrWindowDays, MAX_WINDOW_DAYS) * DAY_MS;
    const limit = Math.min(Math.max(1, opts.limit ?? 100), 1000);
    const rows = await this.db.all<Record<string, number | string | null>>(`SELECT contact_id, agent_id, opened_at, day, category, queue, outcome,
        CASE WHEN outcome = 'resolved_remote' AND (next_gap_ms IS NULL OR next_gap_ms > ?) THEN 1 ELSE 0 END AS fcr,
        handle_sec, visual, csat_score, credits_count
      FROM contacts WHERE ${w.sql} ORDER BY opened_at DESC, contact_id LIMIT ? OFFSET ?`, [fcrMs, ...w.params, limit, Math.max(0, opts.offset ?? 0)]);
    return rows.map((r) => ({
      contactId: String(r.contact_id), agentId: String(r.agent_id), openedAt: num(r.opened_at), day: isoDay(num(r.day)),
      category: String(r.category), queue: String(r.queue), outcome: r.outcome == null ? null : String(r.outcome),
      firstContactResolved: num(r.fcr) === 1, handleSec: num(r.handle_sec), visual: num(r.visual) === 1,
      csat: r.csat_score == null ? null : num(r.csat_score), credits: num(r.credits_count),
    }));
  }

  async auditQueue(opts: { includeReviewed?: boolean, limit?: number } = {}): Promise<AuditItem[]> {
    const limit = Math.min(Math.max(1, opts.limit ?? 200), 1000);
    const rows = await this.db.all<Record<string, number | string | null>>(`SELECT contact_id, seq, agent_id, at, amount_minor, currency, reason, verdict, reviewer_id, review_note
      FROM credits WHERE audited = 1 ${opts.includeReviewed ? '' : 'AND verdict IS NULL'} ORDER BY at, contact_id, seq LIMIT ?`, [limit]);
    return rows.map((r) => ({
      contactId: String(r.contact_id), creditSeq: num(r.seq), agentId: String(r.agent_id), at: num(r.at), amountMinor: num(r.amount_minor),
      currency: String(r.currency), reason: String(r.reason), verdict: (r.verdict as Verdict | null) ?? null,
      reviewerId: r.reviewer_id == null ? null : String(r.reviewer_id), note: r.review_note == null ? null : String(r.review_note),
    }));
  }

  async review(contactId: string, creditSeq: number, verdict: Verdict, note: string | null, reviewerId: string, at: number): Promise<ReviewResult> {
    return this.db.tx(async (x) => {
      const found = await x.all<{ audited: number, verdict: string | null, install_id: string, case_id: number }>(
        'SELECT cr.audited, cr.verdict, c.install_id, c.case_id FROM credits cr JOIN contacts c ON c.contact_id = cr.contact_id WHERE cr.contact_id = ? AND cr.seq = ?', [contactId, creditSeq]);
      const f = found[0];
      if (!f) return { ok: false, code: 'not_found' } as const;
      if (!num(f.audited)) return { ok: false, code: 'not_audited' } as const;
      if (f.verdict) return { ok: false, code: 'already_reviewed' } as const;
      await markDirtyWhere(x, 'contact_id = ? AND seq = ?', [contactId, creditSeq], 'credits');
      await x.run('UPDATE credits SET verdict = ?, reviewer_id = ?, review_note = ?, reviewed_at = ? WHERE contact_id = ? AND seq = ?', [verdict, reviewerId, note, at, contactId, creditSeq]);
      const ins = await x.all<{ id: number }>('INSERT INTO reviews (install_id, case_id, credit_seq, verdict, note, reviewer_id, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
        [f.install_id, num(f.case_id), creditSeq, verdict, note, reviewerId, at]);
      return { ok: true, review: { id: num(ins[0]!.id), installId: f.install_id, caseId: num(f.case_id), creditSeq, verdict, note, reviewerId, at } } as const;
    }, { exclusive: true });
  }

  async reviewsFor(installId: string, afterId: number, limit = 100): Promise<ReviewRecord[]> {
    const rows = await this.db.all<Record<string, number | string | null>>('SELECT id, install_id, case_id, credit_seq, verdict, note, reviewer_id, at FROM reviews WHERE install_id = ? AND id > ? ORDER BY id LIMIT ?', [installId, afterId, limit]);
    return rows.map((r) => ({ id: num(r.id), installId: String(r.install_id), caseId: num(r.case_id), creditSeq: num(r.credit_seq), verdict: r.verdict as Verdict, note: r.note == null ? null : String(r.note), reviewerId: String(r.reviewer_id), at: num(r.at) }));
  }

  async deliveredBy(installId: string, agentId: string): Promise<boolean> {
    return (await this.db.all('SELECT 1 AS one FROM events WHERE install_id = ? AND agent_id = ? LIMIT 1', [installId, agentId])).length > 0;
  }

  async putSurvey(s: Omit<SurveyRecord, 'id'>) {
    const n = await this.db.run('INSERT INTO surveys (room_id, agent_id, score, comment, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (room_id) DO NOTHING', [s.roomId, s.agentId, s.score, s.comment, s.at]);
    return n ? { ok: true as const } : { ok: false as const, code: 'already_answered' as const };
  }

  async surveysFor(agentId: string, afterId: number, limit = 100): Promise<SurveyRecord[]> {
    const rows = await this.db.all<Record<string, number | string | null>>('SELECT id, room_id, agent_id, score, comment, at FROM surveys WHERE agent_id = ? AND id > ? ORDER BY id LIMIT ?', [agentId, afterId, limit]);
    return rows.map((r) => ({ id: num(r.id), roomId: String(r.room_id), agentId: String(r.agent_id), score: num(r.score), comment: r.comment == null ? null : String(r.comment), at: num(r.at) }));
  }

  async pepper(): Promise<string> {
    const fresh = randomBytes(32).toString('hex');
    await this.db.run("INSERT INTO meta (key, value) VALUES ('customer_key_pepper', ?) ON CONFLICT (key) DO NOTHING", [fresh]);
    const r = await this.db.all<{ value: string }>("SELECT value FROM meta WHERE key = 'customer_key_pepper'");
    return r[0]!.value;
  }

  close(): Promise<void> { return this.db.close(); }
}

export { contactIdOf };

type SegmentSums = { g: number | string, n: number, handle: number };
type CreditSums = { g: number | string, currency: string, n: number, total: number, audited: number, questioned: number };

/** CSAT onto a row: top-two share over n, suppressed (no rate, no top-two) below the minimum n. */
function setCsat(r: KpiRow, n: number, top: number, offered: number, minN: number): void {
  const suppressed = n < minN;
  TOP_TWO.set(r, top);
  r.csat = { n, topTwo: suppressed ? 0 : top, rate: suppressed ? null : ratio(top, n), suppressed, offered, responseRate: ratio(n, offered) };
}

/** Handle time and credits onto the rows, then the credit shares; rows by key. The same for base tables and roll-ups (empty roll-up groups are skipped). */
function finishRows(out: Map<string, KpiRow>, row: (k: string) => KpiRow, keyOf: (v: number | string) => string, segments: SegmentSums[], credits: CreditSums[]): KpiRow[] {
  for (const sg of segments) {
    if (sg.n == null || num(sg.n) === 0) continue;
    const r = row(keyOf(sg.g));
    r.aht = { segments: num(sg.n), avgSec: ratio(num(sg.handle), num(sg.n)) };
    HANDLE.set(r, num(sg.handle));
  }
  for (const cr of credits) {
    if (cr.n == null || num(cr.n) === 0) continue;
    const r = row(keyOf(cr.g));
    r.credits.count += num(cr.n);
    r.credits.sumMinor[cr.currency] = num(cr.total);
    r.credits.audited += num(cr.audited);
    r.credits.questioned += num(cr.questioned);
  }
  for (const r of out.values()) {
    r.credits.auditedShare = ratio(r.credits.audited, r.credits.count);
    r.credits.questionedShare = ratio(r.credits.questioned, r.credits.audited);
  }
  return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
