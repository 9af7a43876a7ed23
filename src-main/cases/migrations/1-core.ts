import type { Migration } from './types';

/**
 * Customers, their numbers (E.164) and accounts, cases, and the event log.
 * Events are append-only: the triggers refuse UPDATE and DELETE, so not even
 * a bug in this app (or a hand-edit through the app's connection) can rewrite
 * what an agent recorded.
 */
export const migration1: Migration = {
  version: 1,
  name: 'core',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE customers (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE customer_phones (
        e164        TEXT PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX customer_phones_by_customer ON customer_phones (customer_id);

      CREATE TABLE accounts (
        id                     INTEGER PRIMARY KEY,
        customer_id            INTEGER NOT NULL REFERENCES customers(id),
        number                 TEXT NOT NULL UNIQUE,
        plan                   TEXT NOT NULL,
        expected_monthly_minor INTEGER NOT NULL CHECK (expected_monthly_minor >= 0),
        currency               TEXT NOT NULL CHECK (length(currency) = 3)
      ) STRICT;
      CREATE INDEX accounts_by_customer ON accounts (customer_id);

      CREATE TABLE cases (
        id             INTEGER PRIMARY KEY,
        customer_id    INTEGER NOT NULL REFERENCES customers(id),
        account_id     INTEGER REFERENCES accounts(id),
        subject        TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'dispatched', 'escalated')),
        assigned_agent TEXT,
        opened_at      INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL,
        -- install id + case id of the workstation a bundle came from (imports only)
        origin         TEXT UNIQUE
      ) STRICT;
      CREATE INDEX cases_by_customer ON cases (customer_id, updated_at);

      CREATE TABLE events (
        seq         INTEGER PRIMARY KEY,
        case_id     INTEGER NOT NULL REFERENCES cases(id),
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        type        TEXT NOT NULL,
        at          INTEGER NOT NULL,
        agent_id    TEXT NOT NULL,
        body        TEXT NOT NULL CHECK (json_valid(body))
      ) STRICT;
      CREATE INDEX events_by_case ON events (case_id, seq);
      CREATE INDEX events_by_customer ON events (customer_id, seq);

      CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
      CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;

      CREATE TABLE evidence (
        sha256    TEXT PRIMARY KEY,
        mime      TEXT NOT NULL,
        bytes     INTEGER NOT NULL,
        stored_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE case_evidence (
        case_id INTEGER NOT NULL REFERENCES cases(id),
        sha256  TEXT NOT NULL REFERENCES evidence(sha256),
        PRIMARY KEY (case_id, sha256)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
