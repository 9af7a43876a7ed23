/**
 * The little SQL surface the reporting store needs, so one set of queries
 * runs on SQLite and on PostgreSQL. Queries are written once with `?`
 * placeholders in the SQL both engines accept; the PostgreSQL adapter
 * numbers them (`$1`, `$2`...) and nothing else is rewritten.
 */
export type SqlValue = string | number | null;

export interface SqlExec {
  /** Rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
}

export interface SqlDb extends SqlExec {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction: all of its writes commit together or none
   * do. On SQLite transactions are serialised on the one connection; on
   * PostgreSQL each runs on its own pooled client, and `exclusive` ones
   * (ingest, migrations: writes that read what they then change across
   * rows) take one transaction-scoped advisory lock, so they run one at a
   * time across every node sharing the database, as they do on SQLite.
   */
  tx<T>(fn: (x: SqlExec) => Promise<T>, opts?: { exclusive?: boolean }): Promise<T>;
  /** Several statements separated by `;` with no parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** `?` → `$n`, skipping quoted strings. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let out = '';
  let quoted = false;
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}
