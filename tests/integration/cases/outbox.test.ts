import { afterEach, describe, expect, it } from 'vitest';
import { CaseService } from '../../../src-main/cases/service';
import { CrmSink } from './crm-sink';
import { useRawDb } from './raw-db';
import { useTempDirs } from './tmp';

const tmp = useTempDirs();
const raw = useRawDb();
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

const crmFor = (sink: CrmSink) => ({ url: sink.url, token: sink.token, timeoutMs: 150, baseDelayMs: 15, maxDelayMs: 150, concurrency: 3 });

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function openService(dataDir: string, sink: CrmSink): CaseService {
  const s = new CaseService({ dataDir, agentId: 'agent-out', crm: crmFor(sink), durability: 'normal' });
  cleanup.push(() => s.close());
  return s;
}

describe('outbox to the CRM', () => {
  it('delivers every event exactly once by key, in order per case, through 500s, timeouts and restarts of both sides', async () => {
    const sink = new CrmSink('crm-secret');
    // Every 3rd request fails, every 5th is stored but answered after the client gave up.
    sink.behaviour = (n) => (n % 3 === 0 ? 'fail' : n % 5 === 0 ? 'slow' : 'ok');
    sink.slowMs = 400;
    await sink.start();
    cleanup.push(() => sink.stop());
    const dataDir = tmp();

    let s = openService(dataDir, sink);
    const caseIds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const cu = await s.createCustomer({ name: `Customer ${i}`, phones: [`+1415555267${i}`] });
      caseIds.push((await s.createCase({ customerId: cu.id, subject: `case ${i}` })).id);
    }
    for (let k = 0; k < 8; k++) for (const id of caseIds) await s.addNote(id, `note ${k}`);
    await until(() => sink.accepted.length >= 10, 10_000, 'first deliveries');

    // The CRM goes away while the workstation keeps writing ...
    await sink.stop();
    for (let k = 8; k < 12; k++) for (const id of caseIds) await s.addNote(id, `note ${k} while the CRM is down`);
    // ... and the workstation restarts before the CRM is back.
    await s.close();
    s = openService(dataDir, sink);
    expect((await s.outboxStatus()).pending).toBeGreaterThan(0);
    for (const id of caseIds) await s.addNote(id, 'after the workstation restart');
    await sink.start(sink.port);
    await until(async () => (await s.outboxStatus()).pending === 0, 30_000, 'the outbox to drain');

    const events = raw(s.dbFile).prepare('SELECT seq, case_id AS caseId FROM events ORDER BY seq').all() as Array<{ seq: number; caseId: number }>;
    const installId = await s.installId();
    const keyOf = (seq: number) => `${installId}:${seq}`;
    // Exactly once by key: every event, no extra, no duplicate.
    expect(sink.accepted.map((a) => a.key).sort()).toEqual(events.map((e) => keyOf(e.seq)).sort());
    expect(new Set(sink.accepted.map((a) => a.key)).size).toBe(sink.accepted.length);
    // In order per case.
    for (const id of caseIds) {
      const got = sink.accepted.filter((a) => a.caseId === id).map((a) => a.seq);
      expect(got).toEqual(events.filter((e) => e.caseId === id).map((e) => e.seq));
    }
    // The run really went through failures, timeouts (same key resent) and the outage.
    expect(sink.statuses).toContain(500);
    expect([...sink.slowKeys].some((k) => sink.requestsByKey.get(k)! > 1)).toBe(true);
    expect(await s.outboxStatus()).toMatchObject({ configured: true, pending: 0, dead: 0, delivered: events.length });
  }, 60_000);

  it('parks an event the CRM rejects (4xx) and goes on with the rest of the case', async () => {
    const sink = new CrmSink('t');
    sink.behaviour = (n) => (n === 2 ? 'reject' : 'ok');
    await sink.start();
    cleanup.push(() => sink.stop());
    const s = openService(tmp(), sink);
    const cu = await s.createCustomer({ name: 'X', phones: ['+14155552671'] });
    const c = await s.createCase({ customerId: cu.id, subject: 's' });
    await until(async () => (await s.outboxStatus()).delivered === 1, 5_000, 'case_opened delivery');
    await s.addNote(c.id, 'one');
    await s.addNote(c.id, 'two');
    await until(async () => (await s.outboxStatus()).pending === 0, 5_000, 'drain');
    expect(await s.outboxStatus()).toMatchObject({ dead: 1, delivered: 2 });
    const dead = raw(s.dbFile).prepare(`SELECT last_error FROM outbox WHERE state = 'dead'`).get() as { last_error: string };
    expect(dead.last_error).toMatch(/HTTP 422/);
  });

  it('queues nothing without an endpoint: the cache is the system of record', async () => {
    const s = new CaseService({ dataDir: tmp(), agentId: 'a' });
    cleanup.push(() => s.close());
    const cu = await s.createCustomer({ name: 'X', phones: ['+14155552671'] });
    await s.addNote((await s.createCase({ customerId: cu.id, subject: 's' })).id, 'n');
    expect(await s.outboxStatus()).toEqual({ configured: false, pending: 0, delivered: 0, dead: 0 });
  });

  it('sends the bearer token and refuses to count a 401 as delivered', async () => {
    const sink = new CrmSink('right');
    await sink.start();
    cleanup.push(() => sink.stop());
    const s = new CaseService({ dataDir: tmp(), agentId: 'a', crm: { ...crmFor(sink), token: 'wrong' } });
    cleanup.push(() => s.close());
    const cu = await s.createCustomer({ name: 'X', phones: ['+14155552671'] });
    await s.createCase({ customerId: cu.id, subject: 's' });
    await until(async () => (await s.outboxStatus()).dead === 1, 5_000, 'the 401 to be parked');
    expect(sink.accepted).toEqual([]);
  });
});
