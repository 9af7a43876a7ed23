/** SqlDb on better-sqlite3: a file on the signaling node (the embedded default). */
import Database from 'better-sqlite3';
import type { SqlDb, SqlExec, SqlValue } from './db';

export function openSqlite(file: string): SqlDb {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 2000');
  db.pragma('foreign_keys = ON');
  const cache = new Map<string, Database.Statement>();
  const prep = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      if (cache.size > 500) cache.clear();
      cache.set(sql, s);
    }
    return s;
  };
  const exec: SqlExec = {
    run: async (sql, params = []) => prep(sql).run(...(params as SqlValue[])).changes,
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => {
      const s = prep(sql);
      return (s.reader ? s.all(...(params as SqlValue[])) : (s.run(...(params as SqlValue[])), [])) as T[];
    },
  };
  // One connection: a transaction's statements must not interleave with another's between awaits.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
  return {
    dialect: 'sqlite',
    run: (sql, params) => serial(() => exec.run(sql, params)),
    all: <T>(sql: string, params?: readonly SqlValue[]) => serial(() => exec.all<T>(sql, params)),
    tx: <T>(fn: (x: SqlExec) => Promise<T>) => serial(async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(exec);
        db.exec('COMMIT');
        return out;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    }),
    exec: (sql) => serial(async () => { db.exec(sql); }),
    close: () => serial(async () => { db.close(); }),
  };
}

/** The raw handle for bulk loading (bench); not part of SqlDb on purpose. */
export function openSqliteRaw(file: string): Database.Database {
  return new Database(file);
}
