/**
 * Daily roll-ups of the contacts, segments and credits, so a dashboard over a
 * year reads a few thousand summed rows instead of every contact (a scan is
 * O(contacts): ~1 s at 100k, far over the 200 ms aim at a million).
 *
 * Each roll-up row is one day and one dimension value: `dim` is 'all' (the
 * day's total), 'agent', 'queue' or 'category', `val` that value. A query
 * grouped by one dimension, or filtered on one and grouped by day or by the
 * same dimension, reads the roll-up; anything narrower (two filters) reads
 * the base tables, where the filters' own indexes keep it small.
 *
 * The windows stay query parameters: repeat-contact gaps are counted per
 * whole day of gap (`gap_days` = ceil(gap / 1 day) - 1, so gap > W days
 * exactly when gap_days >= W), and first-frame times per 100 ms bucket, from
 * which the nearest-rank percentile's bucket is found and the exact value then
 * read from the contacts inside that bucket only.
 *
 * Freshness: ingest marks the days whose rows it changed (`rollup_dirty`, in
 * its own transaction); a query first rebuilds those days from the base
 * tables (a day is ~3k contacts at a million a year) and then reads. So the
 * figures are exactly those of the base tables, at every moment.
 */
import type { SqlExec, SqlValue } from './sql/db';
import { DAY_MS, MAX_WINDOW_DAYS } from './types';

export const DIMS = ['all', 'agent', 'queue', 'category'] as const;
export type Dim = typeof DIMS[number];
const COLUMN: Record<Dim, string> = { all: "''", agent: 'agent_id', queue: 'queue', category: 'category' };

/** Gap buckets above the longest window are one bucket. */
const GAP_CAP = MAX_WINDOW_DAYS + 1;
export const FRAME_BUCKET_MS = 100;
const FRAME_CAP = 600; // 60 s and over in one bucket

export const gapDays = (col: string) => `CASE WHEN ${col} > ${GAP_CAP * DAY_MS} THEN ${GAP_CAP} ELSE (${col} - 1) / ${DAY_MS} END`;
const frameBucket = `CASE WHEN first_frame_ms >= ${FRAME_CAP * FRAME_BUCKET_MS} THEN ${FRAME_CAP} ELSE first_frame_ms / ${FRAME_BUCKET_MS} END`;
export const frameBucketBounds = (b: number): [number, number] => [b * FRAME_BUCKET_MS, b >= FRAME_CAP ? Number.MAX_SAFE_INTEGER : (b + 1) * FRAME_BUCKET_MS];

export const ROLLUP_SCHEMA = `
  CREATE TABLE rollup_dirty (day INTEGER PRIMARY KEY);
  CREATE TABLE rollup_contacts (
    day INTEGER NOT NULL, dim TEXT NOT NULL, val TEXT NOT NULL,
    contacts BIGINT NOT NULL, closed BIGINT NOT NULL, resolved BIGINT NOT NULL, candidates BIGINT NOT NULL, cand_resolved BIGINT NOT NULL,
    visual BIGINT NOT NULL, no_frame BIGINT NOT NULL, frames BIGINT NOT NULL, csat_n BIGINT NOT NULL, csat_top BIGINT NOT NULL,
    PRIMARY KEY (dim, val, day)
  );
  CREATE INDEX rollup_contacts_by_day ON rollup_contacts (dim, day);
  CREATE TABLE rollup_gaps (
    day INTEGER NOT NULL, dim TEXT NOT NULL, val TEXT NOT NULL, kind TEXT NOT NULL, gap_days INTEGER NOT NULL, n BIGINT NOT NULL,
    PRIMARY KEY (dim, val, day, kind, gap_days)
  );
  CREATE INDEX rollup_gaps_by_day ON rollup_gaps (dim, day);
  CREATE TABLE rollup_frames (
    day INTEGER NOT NULL, dim TEXT NOT NULL, val TEXT NOT NULL, bucket INTEGER NOT NULL, n BIGINT NOT NULL,
    PRIMARY KEY (dim, val, day, bucket)
  );
  CREATE INDEX rollup_frames_by_day ON rollup_frames (dim, day);
  CREATE TABLE rollup_causes (
    day INTEGER NOT NULL, dim TEXT NOT NULL, val TEXT NOT NULL, cause TEXT NOT NULL, n BIGINT NOT NULL,
    PRIMARY KEY (dim, val, day, cause)
  );
  CREATE TABLE rollup_segments (
    day INTEGER NOT NULL, dim TEXT NOT NULL, val TEXT NOT NULL, n BIGINT NOT NULL, handle BIGINT NOT NULL,
    PRIMARY KEY (dim, val, day)
  );
  CREATE INDEX rollup_segments_by_day ON rollup_segments (dim, day);
  CREATE TABLE rollup_credits (
    day INTEGER NOT NULL, dim TEXT NOT NULL, val TEXT NOT NULL, agent_id TEXT NOT NULL, currency TEXT NOT NULL,
    n BIGINT NOT NULL, total BIGINT NOT NULL, audited BIGINT NOT NULL, questioned BIGINT NOT NULL,
    PRIMARY KEY (dim, val, day, agent_id, currency)
  );
  CREATE INDEX rollup_credits_by_day ON rollup_credits (dim, day);
  CREATE INDEX contacts_by_frame ON contacts (first_frame_ms, day) WHERE first_frame_ms IS NOT NULL;
  INSERT INTO rollup_dirty (day) SELECT DISTINCT day FROM contacts;
  INSERT INTO rollup_dirty (day) SELECT DISTINCT day FROM segments WHERE day IS NOT NULL ON CONFLICT (day) DO NOTHING;
  INSERT INTO rollup_dirty (day) SELECT DISTINCT day FROM credits WHERE true ON CONFLICT (day) DO NOTHING
`;

/** Mark days whose base rows changed (inside the ingest transaction). */
export async function markDirty(x: SqlExec, days: Iterable<number>): Promise<void> {
  for (const d of new Set(days)) await x.run('INSERT INTO rollup_dirty (day) VALUES (?) ON CONFLICT (day) DO NOTHING', [d]);
}

/** Mark the days of the rows a WHERE clause selects (before an UPDATE with that clause moves or changes them). */
export async function markDirtyWhere(x: SqlExec, where: string, params: readonly SqlValue[], table: 'contacts' | 'segments' | 'credits' = 'contacts'): Promise<void> {
  await x.run(`INSERT INTO rollup_dirty (day) SELECT DISTINCT day FROM ${table} WHERE day IS NOT NULL AND ${where} ON CONFLICT (day) DO NOTHING`, params);
}

const TABLES = ['rollup_contacts', 'rollup_gaps', 'rollup_frames', 'rollup_causes', 'rollup_segments', 'rollup_credits'];

/** Rebuild the dirty days (call inside an exclusive transaction). Returns how many days were rebuilt. */
export async function refreshRollups(x: SqlExec, maxDays = 400): Promise<number> {
  const dirty = (await x.all<{ day: number }>('SELECT day FROM rollup_dirty ORDER BY day LIMIT ?', [maxDays])).map((r) => Number(r.day));
  if (!dirty.length) return 0;
  // contiguous runs of days as ranges: one statement per run and table, not per day
  const runs: Array<[number, number]> = [];
  for (const d of dirty) {
    const last = runs[runs.length - 1];
    if (last && d === last[1] + 1) last[1] = d; else runs.push([d, d]);
  }
  for (const [a, b] of runs) {
    for (const t of TABLES) await x.run(`DELETE FROM ${t} WHERE day BETWEEN ? AND ?`, [a, b]);
    for (const dim of DIMS) {
      const v = COLUMN[dim];
      const by = dim === 'all' ? 'day' : `day, ${v}`;
      await x.run(`INSERT INTO rollup_contacts (day, dim, val, contacts, closed, resolved, candidates, cand_resolved, visual, no_frame, frames, csat_n, csat_top)
        SELECT day, '${dim}', ${v}, count(*),
          sum(CASE WHEN outcome IS NOT NULL THEN 1 ELSE 0 END),
          sum(CASE WHEN outcome = 'resolved_remote' THEN 1 ELSE 0 END),
          sum(CASE WHEN dispatch_candidate = 1 AND outcome IS NOT NULL THEN 1 ELSE 0 END),
          sum(CASE WHEN dispatch_candidate = 1 AND outcome = 'resolved_remote' THEN 1 ELSE 0 END),
          sum(visual),
          sum(CASE WHEN visual = 1 AND first_frame_ms IS NULL AND no_frame_cause IS NOT NULL THEN 1 ELSE 0 END),
          sum(CASE WHEN first_frame_ms IS NOT NULL THEN 1 ELSE 0 END),
          sum(CASE WHEN csat_score IS NOT NULL THEN 1 ELSE 0 END),
          sum(CASE WHEN csat_score >= 4 THEN 1 ELSE 0 END)
        FROM contacts WHERE day BETWEEN ? AND ? GROUP BY ${by}`, [a, b]);
      await x.run(`INSERT INTO rollup_gaps (day, dim, val, kind, gap_days, n)
        SELECT day, '${dim}', ${v}, 'fcr', ${gapDays('next_gap_ms')}, count(*) FROM contacts
        WHERE day BETWEEN ? AND ? AND outcome = 'resolved_remote' AND next_gap_ms IS NOT NULL GROUP BY ${by}, ${gapDays('next_gap_ms')}`, [a, b]);
      await x.run(`INSERT INTO rollup_gaps (day, dim, val, kind, gap_days, n)
        SELECT day, '${dim}', ${v}, 'dispatch', ${gapDays('next_dispatch_gap_ms')}, count(*) FROM contacts
        WHERE day BETWEEN ? AND ? AND dispatch_candidate = 1 AND outcome = 'resolved_remote' AND next_dispatch_gap_ms IS NOT NULL GROUP BY ${by}, ${gapDays('next_dispatch_gap_ms')}`, [a, b]);
      await x.run(`INSERT INTO rollup_frames (day, dim, val, bucket, n)
        SELECT day, '${dim}', ${v}, ${frameBucket}, count(*) FROM contacts
        WHERE day BETWEEN ? AND ? AND first_frame_ms IS NOT NULL GROUP BY ${by}, ${frameBucket}`, [a, b]);
      await x.run(`INSERT INTO rollup_causes (day, dim, val, cause, n)
        SELECT day, '${dim}', ${v}, no_frame_cause, count(*) FROM contacts
        WHERE day BETWEEN ? AND ? AND visual = 1 AND first_frame_ms IS NULL AND no_frame_cause IS NOT NULL GROUP BY ${by}, no_frame_cause`, [a, b]);
      await x.run(`INSERT INTO rollup_segments (day, dim, val, n, handle)
        SELECT day, '${dim}', ${v}, count(*), sum(handle_sec) FROM segments
        WHERE day BETWEEN ? AND ? AND handle_sec IS NOT NULL GROUP BY ${by}`, [a, b]);
      await x.run(`INSERT INTO rollup_credits (day, dim, val, agent_id, currency, n, total, audited, questioned)
        SELECT day, '${dim}', ${v}, agent_id, currency, count(*), sum(amount_minor), sum(audited), sum(CASE WHEN verdict = 'questioned' THEN 1 ELSE 0 END) FROM credits
        WHERE day BETWEEN ? AND ? GROUP BY ${dim === 'all' || dim === 'agent' ? 'day, agent_id' : `day, ${v}, agent_id`}, currency`, [a, b]);
    }
    await x.run('DELETE FROM rollup_dirty WHERE day BETWEEN ? AND ?', [a, b]);
  }
  return dirty.length;
}
