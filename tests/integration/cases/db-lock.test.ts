/**
 * Another program holds the case database's write lock. Calls that do not
 * need that write still answer at once through the real web host (the SQL
 * runs in worker threads, reads on their own connection), the write that does
 * need it answers `busy` after the short busy timeout instead of freezing
 * anything, and the same write succeeds once the lock is gone. A full disk
 * answers `disk_full`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { openCaseDb } from '../../../src-main/cases/data/open';
import { createCaseService } from '../../../src-main/cases/factory';
import { createCaseHandlers } from '../../../src-main/cases/handlers';
import { SCHEMA_VERSION } from '../../../src-main/cases/migrations';
import { CaseService } from '../../../src-main/cases/service';
import { memoryLogger } from '../../../src-main/log';
import { createRouter } from '../../../src-main/router';
import { startWebWorkstation, type WebWorkstation } from '../../../src-main/web-host/workstation';
import { useRawDb } from './raw-db';
import { useTempDirs } from './tmp';

const tmp = useTempDirs();
const raw = useRawDb();
const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

const SQLITE = createRequire(import.meta.url).resolve('better-sqlite3');
const FAST_MS = 50;
/** Well below the writer's busy timeout: what a call stuck behind the lock would take at least. */
const BLOCKED_MS = 500;

/** A separate process that takes the write lock (BEGIN IMMEDIATE), says "locked", and commits after `holdMs` or when told to. */
function holdWriteLock(file: string, holdMs: number): Promise<{ child: ChildProcess; released: Promise<void>; release: () => void }> {
  const script = `
    const Database = require(${JSON.stringify(SQLITE)});
    const db = new Database(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    const release = () => { db.exec('COMMIT'); db.close(); process.exit(0); };
    setTimeout(release, ${holdMs});
    process.stdin.on('data', release);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  cleanup.push(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const released = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited with ${code}`))));
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => { if (line === 'locked') resolve({ child, released, release: () => child.stdin!.write('release\n') }); });
    child.on('error', reject);
    released.catch(reject);
  });
}

async function startHost(): Promise<{ ws: WebWorkstation; invoke: (channel: string, input: unknown) => Promise<{ status: number; json: any }>; page: () => Promise<number> }> {
  const dir = tmp();
  const staticDir = join(dir, 'renderer');
  await mkdir(join(staticDir, 'app'), { recursive: true });
  await writeFile(join(staticDir, 'app', 'index.html'), '<!doctype html><title>Workstation</title>');
  const ws = await startWebWorkstation({
    config: { dataDir: join(dir, 'data'), webHostPort: 0, signalingUrl: 'http://127.0.0.1:7800', agentId: 'agent-lock', locale: 'en' },
    deps: { mintAgentToken: (id) => `token-for-${id}` },
    staticDir,
    log: memoryLogger(),
  });
  cleanup.push(() => ws.close());
  const { port, secret } = ws.webHost;
  const http = (method: string, path: string, body?: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, method, path,
      headers: { Host: `127.0.0.1:${port}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}`, Origin: `http://127.0.0.1:${port}` }) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
  return {
    ws,
    invoke: async (channel, input) => {
      const r = await http('POST', '/api/invoke', JSON.stringify({ channel, input }));
      return { status: r.status, json: JSON.parse(r.body) };
    },
    page: async () => (await http('GET', '/')).status,
  };
}

const timed = async <T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
};

describe('case database held by another process', () => {
  it('answers reads, the session config and pages in under 50 ms while a write waits, answers that write busy, and takes it on retry', async () => {
    const { ws, invoke, page } = await startHost();
    const cu = await invoke('customers:create', { name: 'Ada', phones: ['+14155552671'] });
    expect(cu.json).toMatchObject({ ok: true });
    const kase = await invoke('cases:create', { customerId: cu.json.value.id, subject: 'locked file' });
    const caseId = kase.json.value.id as number;
    // Warm every path (the first calls compile schemas, optimise code and fill caches).
    for (let i = 0; i < 30; i++) {
      await invoke('app:getSessionConfig', {});
      await page();
      await invoke('cases:screenPop', { ani: '415 555 2671' });
    }

    const { released } = await holdWriteLock(ws.services.cases.get().dbFile, 3_000);
    const lockedAt = performance.now();
    const write = timed(() => invoke('cases:addNote', { caseId, text: 'written while locked' }));
    let writeDone = false;
    void write.then(() => { writeDone = true; });

    // Meanwhile: every call that does not need the write lock answers fast, again and again.
    const samples: Record<'session config' | 'page' | 'screen pop', number[]> = { 'session config': [], page: [], 'screen pop': [] };
    let rounds = 0;
    while (!writeDone || rounds < 5) {
      const cfg = await timed(() => invoke('app:getSessionConfig', {}));
      expect(cfg.value.json).toMatchObject({ ok: true, value: { agentId: 'agent-lock' } });
      const html = await timed(page);
      expect(html.value).toBe(200);
      const pop = await timed(() => invoke('cases:screenPop', { ani: '(415) 555-2671' }));
      expect(pop.value.json).toMatchObject({ ok: true, value: { kind: 'known', openCases: [{ id: caseId }] } });
      samples['session config'].push(cfg.ms);
      samples.page.push(html.ms);
      samples['screen pop'].push(pop.ms);
      rounds++;
    }
    // This machine is shared (load of 10+ on 2 cores while other suites run), so any code, even the
    // session config that never touches the database, now and then waits 50-200 ms for a core. A call
    // queued behind the lock would wait the whole busy timeout (750 ms) or the 3 s lock; so nine calls in
    // ten of every kind must answer under 50 ms, and none may come near the busy timeout.
    for (const [what, ms] of Object.entries(samples)) {
      const sorted = [...ms].sort((a, b) => a - b);
      const p90 = sorted[Math.floor(sorted.length * 0.9)]!;
      const detail = `${what}: ${sorted.length} calls, p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms`;
      expect(p90, detail).toBeLessThan(FAST_MS);
      expect(sorted[sorted.length - 1]!, detail).toBeLessThan(BLOCKED_MS);
    }

    // The write gave up after the busy timeout, well before the lock was released, with a typed error.
    const w = await write;
    expect(w.value.json).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(performance.now() - lockedAt).toBeLessThan(3_000);
    expect(w.ms).toBeGreaterThan(400);

    await released;
    const retry = await invoke('cases:addNote', { caseId, text: 'written while locked' });
    expect(retry.json).toMatchObject({ ok: true, value: { body: { type: 'note', text: 'written while locked' } } });
    const history = await invoke('cases:history', { caseId });
    expect(history.json.value.filter((e: { body: { type: string } }) => e.body.type === 'note')).toHaveLength(1);
  }, 30_000);
});

describe('a cache that needs migrating while another program holds the lock', () => {
  it('answers busy, then opens and migrates on a later call once the lock is gone', async () => {
    const dataDir = tmp();
    const file = join(dataDir, 'cases', 'cases.sqlite');
    openCaseDb(file, { migrateTo: SCHEMA_VERSION - 1 }).close();
    const { released, release } = await holdWriteLock(file, 15_000);
    const cases = createCaseService({ dataDir, agentId: 'agent-migrate', locale: 'en' }, {});
    cleanup.push(() => cases.close());
    await expect(cases.get().screenPop('+14155552671')).rejects.toMatchObject({ code: 'busy' });
    release();
    await released;
    await expect(cases.get().screenPop('+14155552671')).resolves.toMatchObject({ kind: 'unknown', e164: '+14155552671' });
    expect(raw(file).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  }, 20_000);
});

describe('full disk', () => {
  it('answers disk_full through the router and keeps what was written before', async () => {
    const dataDir = tmp();
    const first = new CaseService({ dataDir, agentId: 'agent-full' });
    const cu = await first.createCustomer({ name: 'Ada', phones: ['+14155552671'] });
    const c = await first.createCase({ customerId: cu.id, subject: 'disk full' });
    await first.close();
    const pages = raw(join(dataDir, 'cases.sqlite')).pragma('page_count', { simple: true }) as number;

    // The file may not grow by a single page: the next write that needs one finds the disk full.
    const s = new CaseService({ dataDir, agentId: 'agent-full', database: { maxPageCount: pages } });
    cleanup.push(() => s.close());
    const router = createRouter(createCaseHandlers({ cases: { get: () => s } }) as never, { log: memoryLogger() });
    const r = await router.dispatch('cases:addNote', { caseId: c.id, text: 'x'.repeat(8_000) }, { host: 'web' });
    expect(r).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    await expect(s.addNote(c.id, 'y'.repeat(8_000))).rejects.toMatchObject({ code: 'disk_full' });
    // Reads still work, and nothing half-written shows.
    expect((await s.history(c.id)).map((e) => e.body.type)).toEqual(['case_opened']);
  });
});
