/**
 * A customer's still over HTTP (no data channel): against a real signaling
 * node, real sockets for the agent and the customer, and fetch for the upload.
 * Chunks that say where they start, resume after a drop, the sha256 checked
 * before the agent hears of it, and nothing reachable across sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_OPEN_PER_SEAT } from '../../../signaling-server/stills/upload-route';
import { pair, useServer } from './harness';
import { uploadStill } from '../../../src-renderer/stills/http-upload';
import type { SignalingServer } from '../../../signaling-server/server';

const h = useServer();

function still(size = 150_000) {
  const bytes = randomBytes(size);
  return { bytes, meta: { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: size, mime: 'image/jpeg', width: 4032, height: 3024, source: 'file' } };
}

function api(server: SignalingServer, token: string) {
  const base = `http://127.0.0.1:${server.port}`;
  const auth = { authorization: `Bearer ${token}` };
  return {
    create: (meta: unknown) => fetch(`${base}/stills`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(meta) }),
    put: (id: string, offset: number, chunk: Uint8Array) => fetch(`${base}/stills/${id}?offset=${offset}`, { method: 'PUT', headers: auth, body: chunk as Uint8Array<ArrayBuffer> }),
    status: (id: string) => fetch(`${base}/stills/${id}/status`, { headers: auth }),
    get: (id: string) => fetch(`${base}/stills/${id}`, { headers: auth }),
  };
}

async function session(server: SignalingServer, agentId = 'agent-1') {
  const p = await pair(server, agentId);
  h.clients.push(p.agent, p.customer);
  const resumeToken = p.customerWelcome.resumeToken!;
  return { ...p, cust: api(server, resumeToken), agentApi: api(server, server.mintAgentToken(agentId)) };
}

describe('still upload over HTTP', () => {
  it('arrives whole in chunks; the agent is told and fetches the same bytes', async () => {
    const server = await h.start();
    const s = await session(server);
    const { bytes, meta } = still();
    const made = await s.cust.create(meta);
    expect(made.status).toBe(201);
    const { id } = await made.json() as { id: string };
    for (let off = 0; off < bytes.length; off += 64 * 1024) {
      const r = await s.cust.put(id, off, bytes.subarray(off, off + 64 * 1024));
      expect(r.status).toBe(200);
    }
    const told = await s.agent.next('still_uploaded');
    expect(told).toMatchObject({ uploadId: id, sha256: meta.sha256, bytes: meta.bytes, width: 4032, height: 3024, mime: 'image/jpeg', source: 'file', memberId: s.customerWelcome.memberId });
    const got = await s.agentApi.get(id);
    expect(got.status).toBe(200);
    expect(got.headers.get('access-control-allow-origin')).toBe('*');
    expect(got.headers.get('x-still-sha256')).toBe(meta.sha256);
    expect(Buffer.compare(Buffer.from(await got.arrayBuffer()), bytes)).toBe(0);
  });

  it('a dropped connection resumes from what the node holds; a repeated chunk is not applied twice', async () => {
    const server = await h.start();
    const s = await session(server);
    const { bytes, meta } = still(100_000);
    const { id } = await (await s.cust.create(meta)).json() as { id: string };
    expect((await s.cust.put(id, 0, bytes.subarray(0, 40_000))).status).toBe(200);
    // The answer was lost: the page sends the same chunk again.
    const again = await s.cust.put(id, 0, bytes.subarray(0, 40_000));
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'offset_mismatch' }, received: 40_000 });
    const st = await (await s.cust.status(id)).json();
    expect(st).toEqual({ id, received: 40_000, bytes: 100_000, done: false });
    expect((await s.cust.put(id, 40_000, bytes.subarray(40_000))).status).toBe(200);
    await s.agent.next('still_uploaded');
    expect(Buffer.compare(Buffer.from(await (await s.agentApi.get(id)).arrayBuffer()), bytes)).toBe(0);
  });

  it('bytes that do not match the announced sha256 are refused and the agent hears nothing', async () => {
    const server = await h.start();
    const s = await session(server);
    const { bytes, meta } = still(1000);
    const { id } = await (await s.cust.create(meta)).json() as { id: string };
    const bad = Buffer.from(bytes);
    bad[500] = bad[500]! ^ 0xff;
    const r = await s.cust.put(id, 0, bad);
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({ error: { code: 'hash_mismatch' } });
    await s.agent.sync();
    expect(s.agent.received.some((m) => m.type === 'still_uploaded')).toBe(false);
    expect((await s.cust.status(id)).status).toBe(404);
  });

  it("one session's upload is out of reach of another session's customer and agent", async () => {
    const server = await h.start();
    const a = await session(server, 'agent-1');
    const b = await session(server, 'agent-2');
    const { bytes, meta } = still(1000);
    const { id } = await (await a.cust.create(meta)).json() as { id: string };
    expect((await b.cust.put(id, 0, bytes)).status).toBe(404);
    expect((await b.cust.status(id)).status).toBe(404);
    expect((await a.cust.put(id, 0, bytes)).status).toBe(200);
    await a.agent.next('still_uploaded');
    expect((await b.agentApi.get(id)).status).toBe(404);
    await b.agent.sync();
    expect(b.agent.received.some((m) => m.type === 'still_uploaded')).toBe(false);
    // The customer's seat token is not an agent's bearer.
    expect((await a.cust.get(id)).status).toBe(401);
  });

  it('bad input gets a typed error: no seat, a bad description, an oversized chunk, too many at once', async () => {
    const server = await h.start();
    const s = await session(server);
    const anon = api(server, 'not-a-seat-token');
    expect((await anon.create(still(10).meta)).status).toBe(401);
    const bad = await s.cust.create({ ...still(10).meta, sha256: 'xyz' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'bad_request' } });
    expect((await s.cust.create({ ...still(10).meta, bytes: 64 * 1024 * 1024 })).status).toBe(400);
    const { bytes, meta } = still(600_000);
    const { id } = await (await s.cust.create(meta)).json() as { id: string };
    const big = await s.cust.put(id, 0, bytes.subarray(0, 300_000));
    expect(big.status).toBe(413);
    expect((await s.cust.put(id, 0, bytes.subarray(0, 1000))).status).toBe(200);
    for (let i = 1; i < MAX_OPEN_PER_SEAT; i++) expect((await s.cust.create(still(10).meta)).status).toBe(201);
    const many = await s.cust.create(still(10).meta);
    expect(many.status).toBe(429);
    expect(await many.json()).toMatchObject({ error: { code: 'too_many' } });
  });

  it("the page's uploader carries on after lost answers and dropped requests, and the agent gets the bytes once", async () => {
    const server = await h.start();
    const s = await session(server);
    const { bytes, meta } = still(300_000);
    let puts = 0;
    const progress: number[] = [];
    // A phone on a bad network: the 2nd PUT reaches the node but its answer is lost; the 4th never leaves.
    const flaky: typeof fetch = async (input, init) => {
      if (init?.method === 'PUT') {
        puts++;
        if (puts === 4) throw new TypeError('network');
        const res = await fetch(input, init);
        if (puts === 2) throw new TypeError('network');
        return res;
      }
      return fetch(input, init);
    };
    const r = await uploadStill(bytes, meta as Parameters<typeof uploadStill>[1], {
      base: `http://127.0.0.1:${server.port}`, seatToken: s.customerWelcome.resumeToken!, fetchFn: flaky, sleep: async () => {}, onProgress: (p) => progress.push(p.sent),
    });
    expect(r.ok).toBe(true);
    expect(progress.at(-1)).toBe(300_000);
    const told = await s.agent.next('still_uploaded');
    await s.agent.sync();
    expect(s.agent.received.filter((m) => m.type === 'still_uploaded')).toHaveLength(0);
    expect(Buffer.compare(Buffer.from(await (await s.agentApi.get(told.uploadId)).arrayBuffer()), bytes)).toBe(0);
  });

  it('the uploader gives a typed error for a seat the node does not know, without retrying it', async () => {
    const server = await h.start();
    let calls = 0;
    const counting: typeof fetch = (input, init) => { calls++; return fetch(input, init); };
    const r = await uploadStill(new Uint8Array(10), still(10).meta as Parameters<typeof uploadStill>[1], { base: `http://127.0.0.1:${server.port}`, seatToken: 'nobody', fetchFn: counting, sleep: async () => {} });
    expect(r).toEqual({ ok: false, error: 'unauthorized' });
    expect(calls).toBe(1);
  });
});
