import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaseDb } from '../../../src-main/cases/data/open';
import { indexText } from '../../../src-main/cases/segment';
import { MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError } from '../../../src-main/cases/migrations';
import { CaseService } from '../../../src-main/cases/service';
import { useRawDb } from './raw-db';
import { useTempDirs } from './tmp';

const tmp = useTempDirs();
const raw = useRawDb();

/** Write what the app at `version` wrote: one customer, case and note (plain SQL, as of that version). */
function seed(db: Database.Database, version: number): void {
  db.prepare(`INSERT INTO customers (id, name, created_at) VALUES (1, 'Ada Lovelace', 1)`).run();
  db.prepare(`INSERT INTO customer_phones (e164, customer_id) VALUES ('+14155552671', 1)`).run();
  db.prepare(`INSERT INTO accounts (id, customer_id, number, plan, expected_monthly_minor, currency) VALUES (1, 1, 'ACC-1', 'Fiber', 4999, 'USD')`).run();
  db.prepare(`INSERT INTO cases (id, customer_id, account_id, subject, status, opened_at, updated_at) VALUES (1, 1, 1, 'Router keeps rebooting', 'open', 1, 1)`).run();
  const text = 'Router firmware 2.1 reboots hourly; 請求書 is fine';
  const seq = db.prepare(`INSERT INTO events (case_id, customer_id, type, at, agent_id, body) VALUES (1, 1, 'note', 2, 'a', ?)`).run(JSON.stringify({ type: 'note', text })).lastInsertRowid;
  // From version 2 on, the app indexed each note as it wrote it.
  if (version >= 2) db.prepare('INSERT INTO event_search (rowid, body) VALUES (?, ?)').run(seq, indexText(text));
}

describe('case cache migrations', () => {
  it('creates the newest schema from an empty file, with WAL and foreign keys on', () => {
    const db = openCaseDb(join(tmp(), 'cases.sqlite'));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['customers', 'customer_phones', 'accounts', 'cases', 'events', 'evidence', 'event_search', 'outbox', 'credit_audit']));
    db.close();
  });

  it('numbers migrations 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  });

  // From every earlier version, with data written at that version: data survives and becomes searchable.
  for (const from of MIGRATIONS.map((m) => m.version).slice(0, -1)) {
    it(`upgrades a cache written at version ${from} to ${SCHEMA_VERSION} keeping its data`, async () => {
      const dir = tmp();
      const file = join(dir, 'cases.sqlite');
      const old = openCaseDb(file, { migrateTo: from });
      expect(old.pragma('user_version', { simple: true })).toBe(from);
      seed(old, from);
      old.close();

      const svc = new CaseService({ dataDir: dir, agentId: 'agent-1' });
      await svc.ready;
      expect(raw(svc.dbFile).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const pop = await svc.screenPop('(415) 555-2671');
      expect(pop.kind).toBe('known');
      if (pop.kind === 'known') {
        expect(pop.customer.name).toBe('Ada Lovelace');
        expect(pop.timeline[0]?.body).toMatchObject({ type: 'note' });
      }
      expect((await svc.searchCases('firmware')).map((h) => h.caseId)).toEqual([1]);
      expect((await svc.searchCases('請求書')).map((h) => h.caseId)).toEqual([1]);
      // The upgraded cache works for new writes too.
      await svc.addNote(1, 'called back');
      expect((await svc.history(1)).length).toBe(2);
      expect(raw(svc.dbFile).pragma('integrity_check', { simple: true })).toBe('ok');
      await svc.close();
    });
  }

  it('refuses a cache from a newer app with a clear message and leaves the file untouched', () => {
    const file = join(tmp(), 'cases.sqlite');
    const future = new Database(file);
    future.exec('CREATE TABLE something_new (x)');
    future.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    future.close();
    const before = readFileSync(file);

    let err: unknown;
    try { openCaseDb(file); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(SchemaTooNewError);
    expect((err as Error).message).toContain(`schema version ${SCHEMA_VERSION + 3}`);
    expect((err as Error).message).toMatch(/newer version of this app/);
    expect(readFileSync(file).equals(before)).toBe(true);
    // Still in rollback-journal mode: we did not switch it to WAL.
    const check = new Database(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('answers every case call with schema_too_new through the worker, leaving the file untouched', async () => {
    const dir = tmp();
    const file = join(dir, 'cases.sqlite');
    const future = new Database(file);
    future.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    future.close();
    const before = readFileSync(file);
    const svc = new CaseService({ dataDir: dir, agentId: 'agent-1' });
    await expect(svc.ready).rejects.toMatchObject({ code: 'schema_too_new' });
    await expect(svc.screenPop('+14155552671')).rejects.toMatchObject({ code: 'schema_too_new', message: expect.stringMatching(/newer version of this app/) });
    await expect(svc.addNote(1, 'x')).rejects.toMatchObject({ code: 'schema_too_new' });
    await svc.close();
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('rolls a failing migration back as a whole (user_version and schema agree)', () => {
    const file = join(tmp(), 'cases.sqlite');
    const db = openCaseDb(file, { migrateTo: 2 });
    // Sabotage step 3: a table it creates already exists.
    db.exec('CREATE TABLE outbox (x)');
    db.close();
    expect(() => openCaseDb(file)).toThrow(/already exists/);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(2);
    expect(check.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'outbox_pending_by_case'`).get()).toEqual({ n: 0 });
    check.close();
  });
});
