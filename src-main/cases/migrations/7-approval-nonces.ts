import type { Migration } from './types';

/**
 * One row per supervisor's approval used for a credit, keyed by the grant's
 * one-time nonce: written in the same transaction as the credit, so a grant
 * replayed (twice in a row, or by two concurrent calls) fails on the primary
 * key and nothing is written. Rows are never changed or removed.
 */
export const migration7: Migration = {
  version: 7,
  name: 'approval-nonces',
  up(db) {
    db.exec(`
      CREATE TABLE approval_nonces (
        nonce        TEXT PRIMARY KEY,
        grant_id     TEXT NOT NULL UNIQUE,
        case_id      INTEGER NOT NULL REFERENCES cases(id),
        event_seq    INTEGER NOT NULL UNIQUE REFERENCES events(seq),
        approver_id  TEXT NOT NULL,
        used_at      INTEGER NOT NULL
      ) STRICT;

      CREATE TRIGGER approval_nonces_no_update BEFORE UPDATE ON approval_nonces
      BEGIN SELECT RAISE(ABORT, 'used approval nonces are append-only: UPDATE refused'); END;
      CREATE TRIGGER approval_nonces_no_delete BEFORE DELETE ON approval_nonces
      BEGIN SELECT RAISE(ABORT, 'used approval nonces are append-only: DELETE refused'); END;
    `);
  },
};
