/**
 * The reporting database's schema, one numbered step at a time, never
 * edited once shipped (as src-main/cases/migrations/). Each step is the same
 * SQL on both engines except where a dialect differs (identity columns);
 * `schema_migrations` records what ran, and each step commits with its row,
 * so a node that stops half way resumes at the step it was on.
 *
 * Tables:
 * - `events`: every delivered case event, once, by its idempotency key
 *   (`installId:seq`). The source of truth; everything below is derived from it.
 * - `contacts`: one row per case (`installId:caseId`) with the facts the KPIs
 *   read. No names, numbers or free text of the customer: the customer is
 *   known only by keyed hashes (`contact_keys`).
 * - `segments`: one row per agent's part of a case (AHT per segment).
 * - `credits`: one row per credit, with its review.
 * - `reviews`: supervisors' verdicts, in order, for the workstations to
 *   write into their cases (the inbox they read).
 * - `surveys`: customers' answers to the end-of-call survey, in order, for
 *   the agent's workstation to write into the case.
 */
import type { SqlDb } from './db';
import { ROLLUP_SCHEMA } from '../rollup';

export interface SchemaStep {
  version: number;
  name: string;
  sql: (dialect: SqlDb['dialect']) => string;
}

const serial = (d: SqlDb['dialect']) => (d === 'postgres' ? 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT');

export const STEPS: readonly SchemaStep[] = [
  {
    version: 1,
    name: 'core',
    sql: (d) => `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE events (
        key         TEXT PRIMARY KEY,
        install_id  TEXT NOT NULL,
        seq         BIGINT NOT NULL,
        case_id     BIGINT NOT NULL,
        type        TEXT NOT NULL,
        at          BIGINT NOT NULL,
        agent_id    TEXT NOT NULL,
        body        TEXT NOT NULL,
        received_at BIGINT NOT NULL
      );
      CREATE INDEX events_by_case ON events (install_id, case_id, seq);
      CREATE INDEX events_by_install_agent ON events (install_id, agent_id);

      CREATE TABLE contacts (
        contact_id           TEXT PRIMARY KEY,
        install_id           TEXT NOT NULL,
        case_id              BIGINT NOT NULL,
        agent_id             TEXT NOT NULL,
        opened_at            BIGINT NOT NULL,
        day                  INTEGER NOT NULL,
        category             TEXT NOT NULL,
        queue                TEXT NOT NULL,
        outcome              TEXT,
        closed_at            BIGINT,
        dispatch_candidate   INTEGER NOT NULL DEFAULT 0,
        next_gap_ms          BIGINT,
        next_dispatch_gap_ms BIGINT,
        visual               INTEGER NOT NULL DEFAULT 0,
        link_sent_at         BIGINT,
        first_frame_ms       BIGINT,
        no_frame_cause       TEXT,
        csat_score           INTEGER,
        handle_sec           BIGINT NOT NULL DEFAULT 0,
        credits_count        INTEGER NOT NULL DEFAULT 0
      );
      -- covering: the dashboards' aggregate reads only the index, never the rows
      CREATE INDEX contacts_by_day ON contacts (day, agent_id, queue, category, outcome, next_gap_ms, dispatch_candidate, next_dispatch_gap_ms, visual, first_frame_ms, no_frame_cause, csat_score);
      CREATE INDEX contacts_by_agent_day ON contacts (agent_id, day);
      CREATE INDEX contacts_frames ON contacts (day, first_frame_ms) WHERE first_frame_ms IS NOT NULL;

      CREATE TABLE contact_keys (
        key_hash   TEXT NOT NULL,
        category   TEXT NOT NULL,
        opened_at  BIGINT NOT NULL,
        contact_id TEXT NOT NULL,
        PRIMARY KEY (key_hash, category, opened_at, contact_id)
      );
      CREATE INDEX contact_keys_by_contact ON contact_keys (contact_id);

      CREATE TABLE segments (
        contact_id  TEXT NOT NULL,
        segment_id  TEXT NOT NULL,
        agent_id    TEXT NOT NULL,
        queue       TEXT NOT NULL,
        category    TEXT NOT NULL,
        via         TEXT NOT NULL,
        started_at  BIGINT,
        ended_at    BIGINT,
        day         INTEGER,
        talk_sec    BIGINT,
        hold_sec    BIGINT,
        acw_sec     BIGINT,
        handle_sec  BIGINT,
        PRIMARY KEY (contact_id, segment_id)
      );
      CREATE INDEX segments_by_day ON segments (day, agent_id, queue, category, handle_sec) WHERE day IS NOT NULL;

      CREATE TABLE credits (
        contact_id    TEXT NOT NULL,
        seq           BIGINT NOT NULL,
        agent_id      TEXT NOT NULL,
        at            BIGINT NOT NULL,
        day           INTEGER NOT NULL,
        queue         TEXT NOT NULL,
        category      TEXT NOT NULL,
        amount_minor  BIGINT NOT NULL,
        currency      TEXT NOT NULL,
        audited       INTEGER NOT NULL,
        reason        TEXT NOT NULL,
        verdict       TEXT,
        reviewer_id   TEXT,
        review_note   TEXT,
        reviewed_at   BIGINT,
        PRIMARY KEY (contact_id, seq)
      );
      CREATE INDEX credits_by_day ON credits (day, agent_id, queue, category, currency, amount_minor, audited, verdict);
      CREATE INDEX credits_audit_queue ON credits (at) WHERE audited = 1 AND verdict IS NULL;

      CREATE TABLE reviews (
        id          ${serial(d)},
        install_id  TEXT NOT NULL,
        case_id     BIGINT NOT NULL,
        credit_seq  BIGINT NOT NULL,
        verdict     TEXT NOT NULL,
        note        TEXT,
        reviewer_id TEXT NOT NULL,
        at          BIGINT NOT NULL
      );
      CREATE INDEX reviews_by_install ON reviews (install_id, id);

      CREATE TABLE surveys (
        id         ${serial(d)},
        room_id    TEXT NOT NULL UNIQUE,
        agent_id   TEXT NOT NULL,
        score      INTEGER NOT NULL,
        comment    TEXT,
        at         BIGINT NOT NULL
      );
      CREATE INDEX surveys_by_agent ON surveys (agent_id, id);
    `,
  },
  {
    // daily roll-ups (rollup.ts): a year's dashboards read summed days, not every contact
    version: 2,
    name: 'daily-rollups',
    sql: () => ROLLUP_SCHEMA,
  },
];

export const SCHEMA_VERSION = STEPS[STEPS.length - 1]!.version;

/** Brings the schema up to date; refuses a database written by a newer version. */
export async function migrate(db: SqlDb): Promise<{ from: number, to: number }> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
  const current = async () => (await db.all<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations'))[0]?.v ?? 0;
  const from = await current();
  if (from > SCHEMA_VERSION) throw new Error(`reporting database has schema version ${from}, newer than this server knows (${SCHEMA_VERSION}); update the server`);
  for (const step of STEPS) {
    await db.tx(async (x) => {
      // another node may have run it while this one waited for the lock
      const done = await x.all<{ n: number }>('SELECT count(*) AS n FROM schema_migrations WHERE version = ?', [step.version]);
      if (Number(done[0]?.n) > 0) return;
      for (const stmt of step.sql(db.dialect).split(';').map((s) => s.trim()).filter(Boolean)) await x.run(stmt);
      await x.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [step.version, step.name, Date.now()]);
    }, { exclusive: true });
  }
  return { from, to: await current() };
}
