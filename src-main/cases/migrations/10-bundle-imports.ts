import type { Migration } from './types';

/**
 * The audit trail of case bundle imports: one row per attempt, imported or
 * refused, with the bundle's fingerprint, who signed it, how it was verified
 * (signature from a trusted key, a fingerprint the importer gave, or not at
 * all), how many credit and transfer events it held, and the refusal's code.
 * An imported case's credits are audited again in credit_audit (trigger
 * `imported`); this table records the import itself. Never changed or removed.
 */
export const migration10: Migration = {
  version: 10,
  name: 'bundle-imports',
  up(db) {
    db.exec(`
      CREATE TABLE bundle_imports (
        id                 INTEGER PRIMARY KEY,
        at                 INTEGER NOT NULL,
        agent_id           TEXT NOT NULL,
        bundle_name        TEXT NOT NULL,
        manifest_sha256    TEXT,
        origin             TEXT,
        signer_fingerprint TEXT,
        verified_by        TEXT NOT NULL CHECK (verified_by IN ('trusted_key', 'fingerprint', 'none')),
        outcome            TEXT NOT NULL CHECK (outcome IN ('imported', 'refused')),
        error_code         TEXT,
        detail             TEXT,
        case_id            INTEGER REFERENCES cases(id),
        credit_events      INTEGER NOT NULL DEFAULT 0,
        transfer_events    INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX bundle_imports_by_at ON bundle_imports (at);

      CREATE TRIGGER bundle_imports_no_update BEFORE UPDATE ON bundle_imports
      BEGIN SELECT RAISE(ABORT, 'bundle import log is append-only: UPDATE refused'); END;
      CREATE TRIGGER bundle_imports_no_delete BEFORE DELETE ON bundle_imports
      BEGIN SELECT RAISE(ABORT, 'bundle import log is append-only: DELETE refused'); END;
    `);
  },
};
