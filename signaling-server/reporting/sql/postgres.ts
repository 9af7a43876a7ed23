/** SqlDb on node-postgres (production): a pool configured by URL. */
import pg from 'pg';
import { numberPlaceholders, type SqlDb, type SqlExec, type SqlValue } from './db';

// BIGINT (20) and NUMERIC (1700) arrive as strings by default; every figure we keep fits a double exactly.
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** The advisory lock every exclusive transaction takes (an arbitrary constant of ours). */
const INGEST_LOCK = 7_014_014;

export function openPostgres(url: string, opts: { max?: number } = {}): SqlDb {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 8, types: types as never });
  // An idle client losing its connection must not crash the node; the next query reconnects.
  pool.on('error', () => undefined);
  const texts = new Map<string, string>();
  const text = (sql: string) => {
    let t = texts.get(sql);
    if (t === undefined) { t = numberPlaceholders(sql); texts.set(sql, t); }
    return t;
  };
  const on = (q: { query: pg.Pool['query'] }): SqlExec => ({
    run: async (sql, params = []) => (await q.query(text(sql), params as SqlValue[])).rowCount ?? 0,
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await q.query(text(sql), params as SqlValue[])).rows as T[],
  });
  const direct = on(pool as never);
  return {
    dialect: 'postgres',
    run: direct.run,
    all: direct.all,
    async tx(fn, o = {}) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        if (o.exclusive) await client.query('SELECT pg_advisory_xact_lock($1)', [INGEST_LOCK]);
        const out = await fn(on(client as never));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql) { await pool.query(sql); },
    async close() { await pool.end(); },
  };
}
