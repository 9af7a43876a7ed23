/**
 * npm run bench -- reporting [--contacts=N] [--iterations=K] [--ingest=N]
 *
 * The reporting store at one million contacts, on SQLite (the embedded
 * default) and on a real PostgreSQL started here: each dashboard query
 * through the store (ours: its several statements, row mapping and the
 * report built in JS) beside the raw SQL of its main statement on the bare
 * driver (baseline), p50/p99; and the ingest rate through the idempotent
 * ingest path. The contacts are generated inside the database by one
 * INSERT … SELECT over a number series (the same formulas on both engines,
 * so both hold identical data and must give identical figures).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openReportingStore } from '../signaling-server/reporting/sql-store';
import type { ReportingStore } from '../signaling-server/reporting/store';
import { DAY_MS, type Delivery, type KpiFilter } from '../signaling-server/reporting/types';
import { createDatabase, startPostgres } from '../tests/support/postgres';
import { percentiles, report, round, type ReportRow } from './lib';

const N = Number(process.argv.find((a) => a.startsWith('--contacts='))?.split('=')[1] ?? 1_000_000);
const ITER = Number(process.argv.find((a) => a.startsWith('--iterations='))?.split('=')[1] ?? 40);
/** Events in the batched ingest run (the single-event run is a tenth of it). */
const INGEST = Number(process.argv.find((a) => a.startsWith('--ingest='))?.split('=')[1] ?? 20_000);
const D0 = 20_454; // 2026-01-01 as days since the epoch: the year of generated contacts
const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const LAST = D0 + 364;

const series = (d: 'sqlite' | 'postgres') => (d === 'sqlite'
  ? 'WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < ?)'
  : 'WITH s(g) AS (SELECT generate_series(1, ?::bigint))');

// one contact per g; every column a function of g (no randomness: both engines hold the same rows)
const CONTACTS = `INSERT INTO contacts (contact_id, install_id, case_id, agent_id, opened_at, day, category, queue, outcome, closed_at, dispatch_candidate,
    next_gap_ms, next_dispatch_gap_ms, visual, link_sent_at, first_frame_ms, no_frame_cause, csat_score, handle_sec, credits_count)
  SELECT 'bench:' || g, 'bench', g, 'agent-' || (g % 200), (${D0} + g % 365) * ${DAY_MS} + (g * 7919) % ${DAY_MS}, ${D0} + g % 365, 'cat' || (g % 8), 'q' || (g % 10),
    CASE WHEN g % 20 = 0 THEN NULL WHEN g % 20 = 1 THEN 'technician_dispatch' WHEN g % 20 = 2 THEN 'escalated_fraud' ELSE 'resolved_remote' END,
    CASE WHEN g % 20 = 0 THEN NULL ELSE (${D0} + g % 365) * ${DAY_MS} + (g * 7919) % ${DAY_MS} + 600000 END,
    CASE WHEN g % 7 = 0 THEN 1 ELSE 0 END,
    CASE WHEN g % 5 = 0 THEN ((g * 31) % 30) * ${DAY_MS} + 3600000 ELSE NULL END,
    CASE WHEN g % 35 = 0 THEN ((g * 17) % 20) * ${DAY_MS} ELSE NULL END,
    CASE WHEN g % 5 < 2 THEN 1 ELSE 0 END,
    CASE WHEN g % 5 < 2 THEN (${D0} + g % 365) * ${DAY_MS} + 30000 ELSE NULL END,
    CASE WHEN g % 5 < 2 AND g % 50 <> 1 THEN 800 + (g * 13) % 9000 ELSE NULL END,
    CASE WHEN g % 5 < 2 AND g % 50 = 1 THEN (CASE WHEN g % 3 = 0 THEN 'consent_declined' WHEN g % 3 = 1 THEN 'link_not_opened' ELSE 'media_error' END) ELSE NULL END,
    CASE WHEN g % 7 = 3 THEN 1 + (g * 11) % 5 ELSE NULL END,
    200 + (g * 37) % 900,
    CASE WHEN g % 20 = 5 THEN 1 ELSE 0 END
  FROM s`;
const SEGMENTS = (n: 1 | 2) => `INSERT INTO segments (contact_id, segment_id, agent_id, queue, category, via, started_at, ended_at, day, talk_sec, hold_sec, acw_sec, handle_sec)
  SELECT 'bench:' || g, 's${n}', 'agent-' || ((g + ${n - 1}) % 200), 'q' || (g % 10), 'cat' || (g % 8), '${n === 1 ? 'new' : 'warm_transfer'}',
    (${D0} + g % 365) * ${DAY_MS}, (${D0} + g % 365) * ${DAY_MS} + 600000, ${D0} + g % 365,
    100 + (g * 37) % 600, (g * 3) % 60, 30 + (g * 5) % 120, 130 + (g * 37) % 600 + (g * 3) % 60 + (g * 5) % 120
  FROM s ${n === 2 ? 'WHERE g % 6 = 0' : ''}`;
const CREDITS = `INSERT INTO credits (contact_id, seq, agent_id, at, day, queue, category, amount_minor, currency, audited, reason, verdict)
  SELECT 'bench:' || g, g, 'agent-' || (g % 200), (${D0} + g % 365) * ${DAY_MS}, ${D0} + g % 365, 'q' || (g % 10), 'cat' || (g % 8), (g * 101) % 50000, 'USD',
    CASE WHEN (g * 101) % 50000 > 25000 THEN 1 ELSE 0 END, 'goodwill',
    CASE WHEN (g * 101) % 50000 > 25000 AND g % 3 = 0 THEN 'fine' WHEN (g * 101) % 50000 > 25000 AND g % 7 = 0 THEN 'questioned' ELSE NULL END
  FROM s WHERE g % 20 = 5`;

// the main statement of the KPI dashboard (sql-store.ts rows()), as the raw baseline
const rawKpiSql = (g: string, where: string) => `SELECT ${g} AS g, count(*) AS contacts,
  sum(CASE WHEN outcome IS NOT NULL THEN 1 ELSE 0 END) AS closed,
  sum(CASE WHEN outcome = 'resolved_remote' AND (next_gap_ms IS NULL OR next_gap_ms > ?) THEN 1 ELSE 0 END) AS fcr,
  sum(CASE WHEN dispatch_candidate = 1 AND outcome IS NOT NULL THEN 1 ELSE 0 END) AS candidates,
  sum(CASE WHEN dispatch_candidate = 1 AND outcome = 'resolved_remote' AND (next_dispatch_gap_ms IS NULL OR next_dispatch_gap_ms > ?) THEN 1 ELSE 0 END) AS avoided,
  sum(visual) AS visual, sum(CASE WHEN visual = 1 AND first_frame_ms IS NULL AND no_frame_cause IS NOT NULL THEN 1 ELSE 0 END) AS no_frame,
  sum(CASE WHEN csat_score IS NOT NULL THEN 1 ELSE 0 END) AS csat_n, sum(CASE WHEN csat_score >= 4 THEN 1 ELSE 0 END) AS csat_top
  FROM contacts WHERE ${where} GROUP BY ${g} ORDER BY ${g}`;

interface Dashboard { name: string; run: (s: ReportingStore) => Promise<unknown>; raw: { sql: string; params: Array<string | number> } }
const f30: KpiFilter = { from: iso(LAST - 29), to: iso(LAST) };
const fYear: KpiFilter = { from: iso(D0), to: iso(LAST) };
const w7 = 7 * DAY_MS, w14 = 14 * DAY_MS;
const DASHBOARDS: Dashboard[] = [
  { name: 'kpis_30d_by_day', run: (s) => s.kpis(f30, 'day'), raw: { sql: rawKpiSql('day', 'day BETWEEN ? AND ?'), params: [w7, w14, LAST - 29, LAST] } },
  { name: 'kpis_30d_by_agent', run: (s) => s.kpis(f30, 'agent'), raw: { sql: rawKpiSql('agent_id', 'day BETWEEN ? AND ?'), params: [w7, w14, LAST - 29, LAST] } },
  { name: 'kpis_year_by_queue', run: (s) => s.kpis(fYear, 'queue'), raw: { sql: rawKpiSql('queue', 'day BETWEEN ? AND ?'), params: [w7, w14, D0, LAST] } },
  { name: 'kpis_year_by_agent', run: (s) => s.kpis(fYear, 'agent'), raw: { sql: rawKpiSql('agent_id', 'day BETWEEN ? AND ?'), params: [w7, w14, D0, LAST] } },
  { name: 'kpis_year_by_day', run: (s) => s.kpis(fYear, 'day'), raw: { sql: rawKpiSql('day', 'day BETWEEN ? AND ?'), params: [w7, w14, D0, LAST] } },
  // two dimensions (a queue, by agent): no roll-up answers it, the base tables do, through the queue's rows only
  { name: 'kpis_30d_queue_by_agent', run: (s) => s.kpis({ ...f30, queue: 'q3' }, 'agent'), raw: { sql: rawKpiSql('agent_id', 'day BETWEEN ? AND ? AND queue = ?'), params: [w7, w14, LAST - 29, LAST, 'q3'] } },
  { name: 'agent_week', run: (s) => s.kpis({ from: iso(LAST - 6), to: iso(LAST), agentId: 'agent-7' }, null), raw: { sql: rawKpiSql('agent_id', 'day BETWEEN ? AND ? AND agent_id = ?'), params: [w7, w14, LAST - 6, LAST, 'agent-7'] } },
  { name: 'drill_down_day', run: (s) => s.contacts({ from: iso(LAST), to: iso(LAST), queue: 'q3' }, { limit: 100 }), raw: { sql: 'SELECT contact_id, agent_id, opened_at, outcome, handle_sec FROM contacts WHERE day BETWEEN ? AND ? AND queue = ? ORDER BY opened_at DESC, contact_id LIMIT 100', params: [LAST, LAST, 'q3'] } },
  { name: 'audit_queue', run: (s) => s.auditQueue(), raw: { sql: 'SELECT contact_id, seq, agent_id, at, amount_minor FROM credits WHERE audited = 1 AND verdict IS NULL ORDER BY at, contact_id, seq LIMIT 200', params: [] } },
];

async function time(fn: () => Promise<unknown>, n: number): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn(); // warm caches and statement caches
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

function ingestEvents(count: number, offset: number): Delivery[] {
  const out: Delivery[] = [];
  for (let i = 0; i < count; i++) {
    const c = offset + Math.floor(i / 4);
    const seq = offset * 4 + i + 1;
    const at = (LAST - (i % 30)) * DAY_MS + i;
    const base = { idempotencyKey: `ingest:${seq}`, installId: 'ingest', seq, caseId: c, customerId: 1, at, agentId: `agent-${c % 200}` };
    const k = (c % 5000).toString(16).padStart(64, '0');
    switch (i % 4) {
      case 0: out.push({ ...base, type: 'case_opened', body: { subject: 'x', category: `cat${c % 8}` }, customerKeys: [k] }); break;
      case 1: out.push({ ...base, type: 'segment_started', body: { segmentId: 's1', via: 'new', queue: `q${c % 10}` } }); break;
      case 2: out.push({ ...base, type: 'segment_ended', body: { segmentId: 's1', talkSec: 300, holdSec: 20, acwSec: 60 } }); break;
      default: out.push({ ...base, type: 'disposition', body: { disposition: { outcome: 'resolved_remote', summary: '' } } });
    }
  }
  return out;
}

interface Side { load_s: number; rollup_s: number; metrics: Record<string, number>; baseline: Record<string, number>; total: unknown }

async function side(dialect: 'sqlite' | 'postgres', location: string, raw: { all: (sql: string, p: Array<string | number>) => Promise<unknown[]>; exec: (sql: string, p: Array<string | number>) => Promise<void>; close: () => Promise<void> }): Promise<Side> {
  let store = await openReportingStore(location);
  await store.close();
  const t0 = performance.now();
  // a bulk load as a DBA would do it: secondary indexes dropped, rows inserted set-wise, indexes built once after
  const indexes = (await raw.all(dialect === 'postgres'
    ? "SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ('contacts', 'segments', 'credits') AND indexname NOT LIKE '%_pkey'"
    : "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('contacts', 'segments', 'credits') AND sql IS NOT NULL", [])) as Array<{ name: string, sql: string }>;
  for (const ix of indexes) await raw.exec(`DROP INDEX ${ix.name}`, []);
  for (const sql of [CONTACTS, SEGMENTS(1), SEGMENTS(2), CREDITS]) await raw.exec(`${series(dialect)} ${sql}`, [N]);
  for (const ix of indexes) await raw.exec(ix.sql, []);
  await raw.exec(dialect === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE', []);
  const load = (performance.now() - t0) / 1000;
  console.log(`${dialect}: ${N} contacts generated in ${round(load, 1)} s`);
  // the generated rows bypassed ingest: every day is due for its roll-up, built here once and timed
  await raw.exec('INSERT INTO rollup_dirty (day) SELECT DISTINCT day FROM contacts WHERE true ON CONFLICT (day) DO NOTHING', []);
  store = await openReportingStore(location);
  const t1 = performance.now();
  await (store as unknown as { refreshRollups(): Promise<number> }).refreshRollups();
  const rollup = (performance.now() - t1) / 1000;
  console.log(`${dialect}: roll-ups of 365 days built in ${round(rollup, 1)} s`);
  const metrics: Record<string, number> = {};
  const baseline: Record<string, number> = {};
  for (const d of DASHBOARDS) {
    Object.assign(metrics, percentiles(`${dialect}_${d.name}`, await time(() => d.run(store), ITER), [50, 99], 2));
    Object.assign(baseline, percentiles(`${dialect}_${d.name}`, await time(() => raw.all(d.raw.sql, d.raw.params), ITER), [50, 99], 2));
  }
  const total = (await store.kpis(fYear, null)).total;
  // ingest: the per-request path (one transaction per event, as the endpoint does) and batches
  const single = ingestEvents(Math.max(100, Math.round(INGEST / 10)), 0);
  let t = performance.now();
  for (const e of single) await store.ingest(e, 0);
  metrics[`${dialect}_ingest_single_events_per_s`] = round(single.length / ((performance.now() - t) / 1000), 0);
  const batch = ingestEvents(INGEST, 10_000);
  t = performance.now();
  for (let i = 0; i < batch.length; i += 500) await store.ingestMany(batch.slice(i, i + 500), 0);
  metrics[`${dialect}_ingest_batch500_events_per_s`] = round(batch.length / ((performance.now() - t) / 1000), 0);
  // replays are refused by key, not re-counted
  t = performance.now();
  for (let i = 0; i < batch.length; i += 500) await store.ingestMany(batch.slice(i, i + 500), 0);
  metrics[`${dialect}_ingest_replay_events_per_s`] = round(batch.length / ((performance.now() - t) / 1000), 0);
  // a dashboard right after ingest rebuilds the days it changed first: its cost is part of ours
  t = performance.now();
  await store.kpis(fYear, 'queue');
  metrics[`${dialect}_kpis_year_after_ingest_ms`] = round(performance.now() - t, 1);
  await store.close();
  return { load_s: round(load, 1), rollup_s: round(rollup, 1), metrics, baseline, total };
}

const dir = mkdtempSync(join(tmpdir(), 'va-bench-rep-'));
const metrics: Record<string, number> = {};
const baseline: Record<string, number> = {};
const notes: Record<string, unknown> = { contacts: N, iterations: ITER, ingest_events: INGEST, segments: N + Math.floor(N / 6), credits: Math.floor(N / 20), days: 365, agents: 200, queues: 10 };
try {
  const file = join(dir, 'reporting.sqlite');
  // the raw side opens its own connection on the same file, as the store's does
  const held: { db: Database.Database | null } = { db: null };
  const sq = await side('sqlite', file, {
    all: async (sql, p) => { held.db ??= new Database(file); return held.db.prepare(sql).all(...p); },
    exec: async (sql, p) => { const db = new Database(file); try { const st = db.prepare(sql); if (st.reader) st.all(...p); else st.run(...p); } finally { db.close(); } },
    close: async () => { held.db?.close(); },
  });
  held.db?.close();
  Object.assign(metrics, sq.metrics); Object.assign(baseline, sq.baseline);
  notes.sqlite_generate_s = sq.load_s;
  notes.sqlite_rollup_build_s = sq.rollup_s;
  notes.total = sq.total;

  const started = await startPostgres({ fsync: false });
  if (!started.ok) {
    console.log(`postgres: skipped — ${started.reason}`);
    notes.postgres = `skipped: ${started.reason}`;
  } else {
    try {
      const url = await createDatabase(started.pg, 'bench_reporting');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const numbered = (sql: string) => { let n = 0; return sql.replace(/\?/g, () => `$${++n}`); };
      const p = await side('postgres', url, {
        all: async (sql, params) => (await client.query(numbered(sql), params)).rows,
        exec: async (sql, params) => { await client.query(numbered(sql), params); },
        close: async () => { await client.end(); },
      });
      await client.end();
      Object.assign(metrics, p.metrics); Object.assign(baseline, p.baseline);
      notes.postgres_generate_s = p.load_s;
      notes.postgres_rollup_build_s = p.rollup_s;
      notes.postgres_note = 'PostgreSQL 15, throw-away cluster with fsync=off (bench data only), default shared_buffers';
      notes.same_figures_on_both = JSON.stringify(p.total) === JSON.stringify(sq.total);
    } finally {
      await started.pg.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const rows: ReportRow[] = [];
for (const dialect of ['sqlite', 'postgres']) {
  for (const d of DASHBOARDS) {
    for (const q of [50, 99]) {
      const k = `${dialect}_${d.name}_p${q}_ms`;
      if (k in metrics) rows.push({ metric: `${dialect} ${d.name} p${q}`, ours: metrics[k]!, baseline: baseline[k]!, unit: 'ms' });
    }
  }
  for (const k of ['ingest_single_events_per_s', 'ingest_batch500_events_per_s', 'ingest_replay_events_per_s']) {
    const key = `${dialect}_${k}`;
    if (key in metrics) rows.push({ metric: `${dialect} ${k}`, ours: metrics[key]!, unit: 'events/s' });
  }
  const after = `${dialect}_kpis_year_after_ingest_ms`;
  if (after in metrics) rows.push({ metric: `${dialect} kpis_year_after_ingest (rebuilds changed days)`, ours: metrics[after]!, unit: 'ms' });
}
report({ name: 'reporting', metrics, baseline, notes }, rows);
console.log(`notes: ${JSON.stringify(notes)}`);
