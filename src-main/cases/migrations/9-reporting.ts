import type { Migration } from './types';

/**
 * Delivery queue to the reporting endpoint on the signaling node (issue 14),
 * beside the CRM's: the same shape, its own rows, so a CRM that is down does
 * not hold up the supervisors' numbers and the other way round. Written in
 * the same transaction as the event. The inbox cursors (the last supervisor
 * verdict and customer survey written into a case) live in `meta` and move
 * in the transaction that writes those events, so each is written once.
 */
export const migration9: Migration = {
  version: 9,
  name: 'reporting-outbox',
  up(db) {
    db.exec(`
      CREATE TABLE reporting_outbox (
        seq          INTEGER PRIMARY KEY REFERENCES events(seq),
        case_id      INTEGER NOT NULL,
        state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        next_at      INTEGER NOT NULL,
        last_error   TEXT,
        delivered_at INTEGER
      ) STRICT;
      CREATE INDEX reporting_outbox_pending_by_case ON reporting_outbox (case_id, seq) WHERE state = 'pending';
    `);
  },
};
