import type { Migration } from './types';

/**
 * Delivery queue to the CRM. One row per event, written in the same
 * transaction as the event, so an acknowledged event is always either
 * delivered or still queued. Rows change state (this is not the event log).
 * The install id makes idempotency keys unique across workstations.
 */
export const migration3: Migration = {
  version: 3,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        seq          INTEGER PRIMARY KEY REFERENCES events(seq),
        case_id      INTEGER NOT NULL,
        state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        next_at      INTEGER NOT NULL,
        last_error   TEXT,
        delivered_at INTEGER
      ) STRICT;
      CREATE INDEX outbox_pending_by_case ON outbox (case_id, seq) WHERE state = 'pending';

      INSERT OR IGNORE INTO meta (key, value) VALUES ('install_id', lower(hex(randomblob(16))));
    `);
  },
};
