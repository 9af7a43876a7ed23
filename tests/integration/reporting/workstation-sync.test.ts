/**
 * A workstation's case cache delivering to a real signaling node's reporting
 * endpoint through its reporting outbox, and the node's answers (a
 * supervisor's verdict, a customer's survey) coming back into the case once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintAgentToken } from '../../../signaling-server/auth';
import { openReportingStore } from '../../../signaling-server/reporting/sql-store';
import type { SignalingServer } from '../../../signaling-server/server';
import { CaseService } from '../../../src-main/cases/service';
import { customerKey } from '../../../src-main/reporting/sync';
import { SECRET, agent, customer, invite, startServer } from '../signaling/harness';

const dir = mkdtempSync(join(tmpdir(), 'va-rep-sync-'));
let server: SignalingServer;
let svc: CaseService;
const sup = mintAgentToken(SECRET, 'sup1', { roles: ['supervisor'] });

async function until<T>(fn: () => Promise<T | undefined | null | false>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const api = async (path: string, init: RequestInit = {}) => {
  const r = await fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${sup}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  return r.json() as Promise<any>;
};

beforeAll(async () => {
  const store = await openReportingStore(join(dir, 'reporting.sqlite'));
  ({ server } = await startServer({ reporting: { store } }));
  svc = new CaseService({
    dataDir: join(dir, 'ws'), agentId: 'agent-7', durability: 'normal',
    reporting: { baseUrl: server.url, getToken: async () => server.mintAgentToken('agent-7'), inboxIntervalMs: 60_000, baseDelayMs: 20, maxDelayMs: 200 },
  });
  await svc.ready;
});
afterAll(async () => { await svc?.close(); await server?.close(); rmSync(dir, { recursive: true, force: true }); });

describe('workstation → reporting node', () => {
  it('delivers the case with keyed customer hashes only, a question on its audited credit comes back into the case, and the survey too', async () => {
    const c = await svc.createCustomer({ name: 'Hana Sato', phones: ['+81 3-1234-5678'], account: { number: 'ACC-991', plan: 'Fiber', expectedMonthlyMinor: 5000, currency: 'USD' } });
    const kase = await svc.createCase({ customerId: c.id, accountId: c.accounts[0]!.id, subject: 'Bill too high', category: 'billing' });
    const credit = await svc.issueCredit({ caseId: kase.id, amountMinor: 30000, reason: 'late fee waived' });
    expect(credit).toMatchObject({ state: 'granted', audited: true });
    await until(async () => (await svc.reporting!.outbox.status()).pending === 0 && (await svc.reporting!.outbox.status()).delivered >= 2, 'delivery');

    const installId = await svc.installId();
    const rows = await api(`/reporting/v1/contacts?from=2000-01-01&to=2100-01-01`);
    expect(rows.contacts).toMatchObject([{ contactId: `${installId}:${kase.id}`, agentId: 'agent-7', category: 'billing', credits: 1 }]);
    // the node holds the customer only as keyed hashes of the number and the account
    const pepper = (await api('/reporting/v1/config')).customerKeyPepper as string;
    expect(pepper).toMatch(/^[0-9a-f]{64}$/);
    const raw = (await import('better-sqlite3')).default(join(dir, 'reporting.sqlite'), { readonly: true });
    const keys = raw.prepare('SELECT key_hash FROM contact_keys ORDER BY key_hash').all().map((r: any) => r.key_hash);
    const dump = JSON.stringify(raw.prepare('SELECT * FROM events').all()) + JSON.stringify(raw.prepare('SELECT * FROM contacts').all());
    raw.close();
    expect(keys).toEqual([customerKey(pepper, 'tel', '+81312345678'), customerKey(pepper, 'acct', 'ACC-991')].sort());
    expect(dump).not.toMatch(/Hana|Sato|1234-5678|312345678|ACC-991/);

    const item = (await api('/reporting/v1/audit')).items[0];
    expect(item).toMatchObject({ contactId: `${installId}:${kase.id}`, amountMinor: 30000, agentId: 'agent-7' });
    await api('/reporting/v1/audit/review', { method: 'POST', body: JSON.stringify({ contactId: item.contactId, creditSeq: item.creditSeq, verdict: 'questioned', note: 'please explain' }) });

    // a call in this case, and the customer rates it after hanging up
    const a = await agent(server, 'agent-7');
    const inv = await invite(a.c);
    await svc.appendEvent(kase.id, { type: 'session_started', sessionId: 'm1', roomId: inv.roomId, media: 'camera' });
    const cu = await customer(server, inv.token);
    cu.c.close();
    a.c.close();
    const rated = await fetch(`${server.url}/join/${inv.token}/survey`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ score: 5, comment: 'great' }) });
    expect(rated.status).toBe(200);

    expect(await svc.reporting!.pollInbox()).toBe(2);
    expect(await svc.reporting!.pollInbox()).toBe(0); // written once
    const view = await svc.getCase(kase.id);
    const types = view.events.map((e) => e.body);
    expect(types).toContainEqual({ type: 'credit_review', creditSeq: credit.state !== 'needs_approval' ? credit.event.seq : -1, verdict: 'questioned', note: 'please explain', reviewerId: 'sup1' });
    expect(types).toContainEqual({ type: 'csat', score: 5, comment: 'great' });
    // and both go back to the node like any other event: the survey is counted
    await until(async () => (await svc.reporting!.outbox.status()).pending === 0, 'second delivery');
    const k = await api(`/reporting/v1/kpis?from=2000-01-01&to=2100-01-01&csatMinN=1`);
    expect(k.total.csat).toMatchObject({ n: 1, topTwo: 1, rate: 1 });
    expect(k.total.credits).toMatchObject({ count: 1, audited: 1, questioned: 1 });
  });
});
