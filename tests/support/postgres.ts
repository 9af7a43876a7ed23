/**
 * A real PostgreSQL (Debian's `postgresql` 15) for tests and benches: a
 * throw-away cluster in a temp dir, on a free port on 127.0.0.1, trust auth
 * for the user `va`, stopped and removed after. Needs root (the server runs
 * as the `postgres` user); anywhere it cannot start, `startPostgres` says why
 * instead of throwing, so the caller can skip with that reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

const BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';

export interface RunningPostgres { url: string, port: number, stop(): Promise<void> }
export type StartResult = { ok: true, pg: RunningPostgres } | { ok: false, reason: string };


export async function startPostgres(opts: { fsync?: boolean } = {}): Promise<StartResult> {
  if (!existsSync(join(BIN, 'initdb'))) return { ok: false, reason: `PostgreSQL is not installed (${BIN}/initdb missing; apt-get install postgresql)` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'starting PostgreSQL needs root (it runs as the postgres user)' };
  const id = spawnSync('id', ['-u', 'postgres']);
  if (id.status !== 0) return { ok: false, reason: 'no postgres system user' };
  const uid = Number(String(id.stdout).trim());
  const dir = mkdtempSync(join(tmpdir(), 'va-pg-'));
  chownSync(dir, uid, uid);
  const as = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe', timeout: 60_000 });
  const port = await freePort();
  try {
    as([join(BIN, 'initdb'), '-D', join(dir, 'db'), '-A', 'trust', '-U', 'va', '--no-sync']);
    const o = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=50'];
    if (opts.fsync === false) o.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
    as([join(BIN, 'pg_ctl'), '-D', join(dir, 'db'), '-o', o.join(' '), '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const e = err as { stderr?: Buffer, message: string };
    return { ok: false, reason: `PostgreSQL did not start: ${(e.stderr?.toString() || e.message).trim().slice(0, 300)}` };
  }
  let stopped = false;
  return {
    ok: true,
    pg: {
      port,
      url: `postgres://va@127.0.0.1:${port}/postgres`,
      async stop() {
        if (stopped) return;
        stopped = true;
        try { as([join(BIN, 'pg_ctl'), '-D', join(dir, 'db'), '-m', 'immediate', '-w', 'stop']); } catch { /* already down */ }
        rmSync(dir, { recursive: true, force: true });
      },
    },
  };
}

/** A fresh database on a running server (one per test file keeps them apart). */
export async function createDatabase(pg: RunningPostgres, name: string): Promise<string> {
  const { default: pgLib } = await import('pg');
  const c = new pgLib.Client({ connectionString: pg.url });
  await c.connect();
  try { await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`); } finally { await c.end(); }
  return pg.url.replace(/\/postgres$/, `/${name}`);
}
