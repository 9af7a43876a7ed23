import type { Migration } from './types';

/**
 * One row per agent segment of a case (issue 13): a new call, or the stretch
 * after a warm or cold transfer, or a consulted colleague's. Projected from
 * the case's `segment_started` / `segment_ended` events in the transaction
 * that appends them (imported bundles bring the earlier agents' segments), so
 * handle time and outcome can be counted per agent. Keyed by case and
 * segment id: a case that comes back to an installation that already holds an
 * earlier copy keeps both copies' rows apart.
 */
export const migration8: Migration = {
  version: 8,
  name: 'case-segments',
  up(db) {
    db.exec(`
      CREATE TABLE case_segments (
        case_id              INTEGER NOT NULL REFERENCES cases(id),
        segment_id           TEXT NOT NULL,
        previous_segment_id  TEXT,
        agent_id             TEXT NOT NULL,
        via                  TEXT NOT NULL CHECK (via IN ('new', 'warm_transfer', 'cold_transfer', 'consult')),
        queue                TEXT,
        started_at           INTEGER NOT NULL,
        start_seq            INTEGER NOT NULL REFERENCES events(seq),
        ended_at             INTEGER,
        end_seq              INTEGER REFERENCES events(seq),
        talk_sec             INTEGER,
        hold_sec             INTEGER,
        acw_sec              INTEGER,
        outcome              TEXT,
        PRIMARY KEY (case_id, segment_id)
      ) STRICT;
      CREATE INDEX case_segments_agent ON case_segments (agent_id, started_at);
    `);
  },
};
