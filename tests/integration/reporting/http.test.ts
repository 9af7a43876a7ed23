/**
 * The reporting endpoints on a real signaling node (SQLite store): sign-in by
 * bearer token, roles enforced on the server, idempotent delivery, the audit
 * review reaching the desktop's inbox, the live board, the customer's survey
 * and CSV exports without customer data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintAgentToken } from '../../../signaling-server/auth';
import { openReportingStore } from '../../../signaling-server/reporting/sql-store';
import type { SignalingServer } from '../../../signaling-server/server';
import { SECRET, agent, customer, invite, startServer } from '../signaling/harness';
import { D0, DAY, fixtureLog } from './fixture';

const dir = mkdtempSync(join(tmpdir(), 'va-rep-http-'));
let server: SignalingServer;
const tok = (id: string, roles?: Array<'agent' | 'supervisor'>) => mintAgentToken(SECRET, id, roles ? { roles } : {});
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const range = `from=${iso(D0)}&to=${iso(D0 + 30 * DAY)}`;

async function api(path: string, token: string | null, init: { method?: string, body?: unknown } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let json: any = null;
  try { json = JSON.parse(text); } catch { /* csv */ }
  return { status: res.status, json, text, headers: res.headers };
}

beforeAll(async () => {
  const store = await openReportingStore(join(dir, 'reporting.sqlite'));
  ({ server } = await startServer({ reporting: { store, settings: { csatMinN: 3 } } }));
  // every desk delivers its own agents' events, each with that agent's token
  for (const e of fixtureLog().events) {
    const r = await api('/reporting/v1/events', tok(e.agentId), { method: 'POST', body: e });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
  }
});
afterAll(async () => { await server?.close(); rmSync(dir, { recursive: true, force: true }); });

describe('reporting endpoint', () => {
  it('needs a valid bearer token', async () => {
    expect((await api('/reporting/v1/kpis?' + range, null)).status).toBe(401);
    expect((await api('/reporting/v1/kpis?' + range, 'not-a-token')).status).toBe(401);
    expect((await api('/reporting/v1/kpis?' + range, mintAgentToken('another-secret-0123456789', 'sup', { roles: ['supervisor'] }))).status).toBe(401);
  });

  it('takes an event once, and only from the agent who wrote it', async () => {
    const e = fixtureLog().events[0]!;
    const again = await api('/reporting/v1/events', tok(e.agentId), { method: 'POST', body: e });
    expect(again).toMatchObject({ status: 200, json: { stored: false, duplicate: true } });
    const forged = await api('/reporting/v1/events', tok('mallory'), { method: 'POST', body: { ...e, idempotencyKey: 'instA:999', seq: 999 } });
    expect(forged.status).toBe(403);
    const bad = await api('/reporting/v1/events', tok('a1'), { method: 'POST', body: { ...e, idempotencyKey: 'instA:998', seq: 998, type: 'csat', body: { score: 0 } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid');
  });

  it('an agent sees its own numbers and nothing of the supervisor view', async () => {
    const own = await api(`/reporting/v1/kpis?${range}&agentId=a1`, tok('a1'));
    expect(own.status).toBe(200);
    expect(own.json.total.contacts).toBe(6);
    expect((await api(`/reporting/v1/kpis?${range}&agentId=b1`, tok('a1'))).status).toBe(403);
    expect((await api(`/reporting/v1/kpis?${range}`, tok('a1'))).status).toBe(403);
    for (const p of ['/reporting/v1/audit', '/reporting/v1/board', `/reporting/v1/export.csv?${range}&agentId=a1`]) {
      expect((await api(p, tok('a1'))).status, p).toBe(403);
    }
    expect((await api('/reporting/v1/audit/review', tok('a1'), { method: 'POST', body: { contactId: 'instB:1', creditSeq: 6, verdict: 'fine' } })).status).toBe(403);
  });

  it('a supervisor gets KPIs by day, queue and agent with the node settings', async () => {
    const r = await api(`/reporting/v1/kpis?${range}&groupBy=agent`, tok('sup1', ['supervisor']));
    expect(r.status).toBe(200);
    expect(r.json.total.fcr).toEqual({ resolvedFirst: 5, rate: 0.5 });
    expect(r.json.total.csat.rate).toBe(0.75);
    expect(r.json.rows.map((x: { key: string }) => x.key)).toEqual(['a1', 'a2', 'b1']);
    const wide = await api(`/reporting/v1/kpis?${range}&fcrWindowDays=10`, tok('sup1', ['supervisor']));
    expect(wide.json.total.fcr.resolvedFirst).toBe(4);
    expect((await api('/reporting/v1/kpis?from=yesterday&to=today', tok('sup1', ['supervisor']))).status).toBe(400);
  });

  it('questioning an audited credit lands in the inbox of the desktop that holds the case, and only there', async () => {
    const sup = tok('sup1', ['supervisor']);
    const queue = await api('/reporting/v1/audit', sup);
    expect(queue.json.items.map((i: { contactId: string }) => i.contactId)).toEqual(['instB:1', 'instA:2']);
    const item = queue.json.items[0];
    const r = await api('/reporting/v1/audit/review', sup, { method: 'POST', body: { contactId: item.contactId, creditSeq: item.creditSeq, verdict: 'questioned', note: 'what was the goodwill for?' } });
    expect(r.status).toBe(200);
    expect((await api('/reporting/v1/audit/review', sup, { method: 'POST', body: { contactId: item.contactId, creditSeq: item.creditSeq, verdict: 'fine' } })).status).toBe(409);
    const inbox = await api('/reporting/v1/inbox?installId=instB', tok('b1'));
    expect(inbox.json.reviews).toMatchObject([{ caseId: 1, creditSeq: item.creditSeq, verdict: 'questioned', note: 'what was the goodwill for?', reviewerId: 'sup1' }]);
    // an agent who never delivered from that desktop reads nothing of it
    expect((await api('/reporting/v1/inbox?installId=instB', tok('a1'))).json.reviews).toEqual([]);
  });

  it('the board shows who is on a call, and the customer rates the call once with the invite link', async () => {
    const a = await agent(server, 'a1');
    const inv = await invite(a.c);
    const sup = tok('sup1', ['supervisor']);
    let board = await api('/reporting/v1/board', sup);
    expect(board.json.agents).toMatchObject([{ agentId: 'a1', status: 'inviting', roomId: inv.roomId }]);
    // not yet joined: no survey
    expect((await api(`/join/${inv.token}/survey`, null, { method: 'POST', body: { score: 5 } })).status).toBe(404);
    const cu = await customer(server, inv.token);
    await a.c.next('peer_joined');
    board = await api('/reporting/v1/board', sup);
    expect(board.json.agents).toMatchObject([{ agentId: 'a1', status: 'on_call', roomId: inv.roomId, guests: ['customer'] }]);
    expect(JSON.stringify(board.json)).not.toContain('Android');
    expect((await api(`/join/${inv.token}/survey`, null, { method: 'POST', body: { score: 9 } })).status).toBe(400);
    expect((await api(`/join/${inv.token}/survey`, null, { method: 'POST', body: { score: 4, comment: 'quick fix' } })).status).toBe(200);
    expect((await api(`/join/${inv.token}/survey`, null, { method: 'POST', body: { score: 1 } })).status).toBe(409);
    const inbox = await api('/reporting/v1/inbox', tok('a1'));
    expect(inbox.json.surveys).toMatchObject([{ roomId: inv.roomId, agentId: 'a1', score: 4, comment: 'quick fix' }]);
    expect((await api('/reporting/v1/inbox', tok('b1'))).json.surveys).toEqual([]);
    a.c.close();
    cu.c.close();
  });

  it('exports CSV for supervisors, without customer data', async () => {
    const sup = tok('sup1', ['supervisor']);
    const k = await api(`/reporting/v1/export.csv?${range}&groupBy=day`, sup);
    expect(k.status).toBe(200);
    expect(k.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = k.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^day,contacts,closed,fcr_resolved_first,fcr_rate/);
    expect(lines.at(-1)).toMatch(/^all,11,10,5,0.5000,/);
    const c = await api(`/reporting/v1/export.csv?${range}&kind=contacts`, sup);
    expect(c.text.split('\r\n')[0]).toBe('contact,agent,day,category,queue,outcome,first_contact_resolved,handle_sec,visual,csat,credits');
    expect(c.text).not.toMatch(/goodwill|[0-9a-f]{64}/);
  });
});
