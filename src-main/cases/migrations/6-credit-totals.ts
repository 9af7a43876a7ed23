import type { Migration } from './types';

/**
 * Running credit totals. `credit_ledger` is one row per credit event (amount,
 * currency, agent, time), indexed so the write transaction can sum a case's
 * credits and an agent's credits for the day before deciding the next one.
 * The audit row now records the totals and thresholds that made it, which
 * rule triggered it (approval, case_total, agent_day_total), the approval
 * grant, and for imported credits the bundle they came from. Existing
 * credits are carried into the ledger; existing audit rows keep NULLs.
 */
export const migration6: Migration = {
  version: 6,
  name: 'credit-totals',
  up(db) {
    db.exec(`
      CREATE TABLE credit_ledger (
        event_seq    INTEGER PRIMARY KEY REFERENCES events(seq),
        case_id      INTEGER NOT NULL REFERENCES cases(id),
        agent_id     TEXT NOT NULL,
        amount_minor INTEGER NOT NULL,
        currency     TEXT NOT NULL,
        at           INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX credit_ledger_by_case ON credit_ledger (case_id, currency);
      CREATE INDEX credit_ledger_by_agent_day ON credit_ledger (agent_id, currency, at);
      INSERT INTO credit_ledger (event_seq, case_id, agent_id, amount_minor, currency, at)
        SELECT seq, case_id, agent_id, json_extract(body, '$.amountMinor'), json_extract(body, '$.currency'), at
        FROM events WHERE type = 'credit';
      CREATE TRIGGER credit_ledger_no_update BEFORE UPDATE ON credit_ledger
      BEGIN SELECT RAISE(ABORT, 'credit ledger is append-only: UPDATE refused'); END;
      CREATE TRIGGER credit_ledger_no_delete BEFORE DELETE ON credit_ledger
      BEGIN SELECT RAISE(ABORT, 'credit ledger is append-only: DELETE refused'); END;

      ALTER TABLE credit_audit ADD COLUMN case_total_minor INTEGER;
      ALTER TABLE credit_audit ADD COLUMN agent_day_total_minor INTEGER;
      ALTER TABLE credit_audit ADD COLUMN agent_day_threshold_minor INTEGER;
      ALTER TABLE credit_audit ADD COLUMN triggers TEXT;
      ALTER TABLE credit_audit ADD COLUMN approval_grant_id TEXT;
      ALTER TABLE credit_audit ADD COLUMN imported_from TEXT;
    `);
  },
};
