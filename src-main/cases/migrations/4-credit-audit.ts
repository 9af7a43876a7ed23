import type { Migration } from './types';

/**
 * Credits above the audit threshold. Written in the same transaction as the
 * credit event; the agent's app can add rows but never change or remove them.
 */
export const migration4: Migration = {
  version: 4,
  name: 'credit-audit',
  up(db) {
    db.exec(`
      CREATE TABLE credit_audit (
        id              INTEGER PRIMARY KEY,
        event_seq       INTEGER NOT NULL UNIQUE REFERENCES events(seq),
        case_id         INTEGER NOT NULL REFERENCES cases(id),
        agent_id        TEXT NOT NULL,
        amount_minor    INTEGER NOT NULL,
        currency        TEXT NOT NULL,
        threshold_minor INTEGER NOT NULL,
        approved_by     TEXT,
        reason          TEXT NOT NULL,
        at              INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX credit_audit_by_case ON credit_audit (case_id, id);

      CREATE TRIGGER credit_audit_no_update BEFORE UPDATE ON credit_audit
      BEGIN SELECT RAISE(ABORT, 'credit audit log is append-only: UPDATE refused'); END;
      CREATE TRIGGER credit_audit_no_delete BEFORE DELETE ON credit_audit
      BEGIN SELECT RAISE(ABORT, 'credit audit log is append-only: DELETE refused'); END;
    `);
  },
};
