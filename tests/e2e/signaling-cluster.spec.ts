/**
 * A real browser call across two signaling nodes sharing a real
 * redis-server: the agent's workstation talks to node A, the customer page
 * reaches node B through a small TCP load balancer. Node B then goes away
 * mid-call; the balancer sends the customer's reconnect to node A, the page
 * resumes its seat there, the call stays up, and hang-up still reaches it.
 * Or node B drains (SIGTERM): the page leaves it for A on its own, well before
 * the grace period ends, and the call never notices.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { test, expect, num, openAgentPage, openCustomerPage } from './support/call-fixtures';
import { startCallEnv, STATIC_DIR } from './support/call-env';
import { RedisStore } from '../../signaling-server/redis/index';
import { startSignalingServer } from '../../signaling-server/server';
import { startRedis } from '../integration/signaling-prod/servers';
import { grantKeyFile } from '../support/grant-key';
import { existsSync } from 'node:fs';
import type { Browser } from '@playwright/test';

/** An L4 balancer with one upstream at a time, like a health-checked pool after a node fails. */
async function balancer(upstreamPort: number): Promise<{ port: number, point(port: number): void, dropAll(): void, close(): Promise<void> }> {
  let target = upstreamPort;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const up = createConnection({ host: '127.0.0.1', port: target });
    open.add(client); open.add(up);
    const done = () => { client.destroy(); up.destroy(); open.delete(client); open.delete(up); };
    client.on('error', done); up.on('error', done); client.on('close', done); up.on('close', done);
    client.pipe(up).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    point: (p) => { target = p; },
    dropAll: () => { for (const s of open) s.destroy(); open.clear(); },
    close: () => new Promise<void>((r) => { for (const s of open) s.destroy(); server.close(() => r()); }),
  };
}

/** Node A (the workstation's, in-process with the web host) and node B behind a balancer, on one redis-server; a call with the customer on B. */
async function callAcrossNodes(billBrowser: Browser) {
  const redis = await startRedis();
  const prefix = `e2e${Date.now()}:`;
  const env = await startCallEnv({ signaling: { nodeId: 'node-a', store: new RedisStore({ url: redis.url, prefix, nodeId: 'node-a', nodeTtlMs: 2000 }), redis: { url: redis.url, prefix }, approvals: { signingKeyFile: grantKeyFile() } } });
  const nodeB = await startSignalingServer({
    secret: randomBytes(32).toString('base64url'), port: 0, host: '127.0.0.1', staticDir: STATIC_DIR, log: () => {}, nodeId: 'node-b',
    store: new RedisStore({ url: redis.url, prefix, nodeId: 'node-b', nodeTtlMs: 2000 }), redis: { url: redis.url, prefix }, approvals: { signingKeyFile: grantKeyFile() },
  });
  const lb = await balancer(nodeB.port);
  const cleanup = async () => {
    await lb.close();
    await nodeB.close();
    await env.close();
    await redis.stop();
  };
  try {
    const agent = await openAgentPage(billBrowser, env);
    const invite = await agent.newInvite(); // minted on node A
    const viaLb = invite.replace(/^http:\/\/127\.0\.0\.1:\d+/, `http://127.0.0.1:${lb.port}`);
    const customer = await openCustomerPage(billBrowser, viaLb);
    await customer.startCamera();
    await agent.waitConnected(60_000);
    await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
    expect(nodeB.stats().joins).toBe(1); // the customer really is on node B
    expect(env.signalingLog.filter((r) => r.ev === 'join')).toHaveLength(0);
    return { env, nodeB, lb, agent, customer, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Signaling now goes through node A: the agent's hang-up reaches the customer. */
async function hangUpReachesCustomer(c: Awaited<ReturnType<typeof callAcrossNodes>>) {
  await c.agent.page.getByTestId('end-call').click();
  await expect(c.customer.page.getByTestId('ended')).toContainText('The agent ended the call', { timeout: 30_000 });
  expect(c.env.signalingLog.filter((r) => r.ev === 'invite_created')).toHaveLength(1);
  await c.customer.close();
  await c.agent.context.close();
}

test.describe('signaling cluster', () => {
  test.skip(!existsSync('/usr/bin/redis-server'), 'redis-server is not installed: apt-get install -y redis-server');

  test('agent on node A, customer on node B: the call connects; node B dies mid-call and the customer resumes on A', async ({ billBrowser }) => {
    test.setTimeout(240_000);
    const c = await callAcrossNodes(billBrowser);
    try {
      // node B dies; the balancer's health check takes it out of the pool
      c.lb.point(c.env.signaling.port);
      c.lb.dropAll();
      await c.nodeB.close();
      // the page reconnects through the balancer to node A and resumes its seat there
      await expect.poll(() => c.env.signalingLog.filter((r) => r.ev === 'resume').length, { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
      await expect(c.customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected', { timeout: 60_000 });
      await expect(c.agent.page.getByTestId('agent-status')).toHaveAttribute('data-phase', 'connected', { timeout: 60_000 });
      await c.agent.page.waitForFunction(() => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
        return !!v && v.videoWidth > 0 && v.readyState >= 2;
      }, undefined, { timeout: 30_000 });
      await hangUpReachesCustomer(c);
    } finally {
      await c.cleanup();
    }
  });

  test('node B drains (SIGTERM): the customer moves to node A early in the grace period and the call never drops', async ({ billBrowser }) => {
    test.setTimeout(240_000);
    const c = await callAcrossNodes(billBrowser);
    try {
      // Every phase the customer page shows from here on.
      await c.customer.page.evaluate(() => {
        const root = document.querySelector('[data-testid="customer-root"]')!;
        const w = window as unknown as { __phases: string[] };
        w.__phases = [];
        new MutationObserver(() => w.__phases.push(root.getAttribute('data-phase') ?? '')).observe(root, { attributes: true, attributeFilter: ['data-phase'] });
      });
      const framesBefore = await num(c.agent.page, 'call-figures', 'data-frames-decoded');
      // Setting the call up may itself have needed a recovery (a loaded machine); the drain must add none.
      const recoveriesBefore = await num(c.agent.page, 'call-figures', 'data-recoveries');
      // the balancer stops sending new sockets to B (its /healthz now answers 503)
      c.lb.point(c.env.signaling.port);
      const graceMs = 40_000;
      const t0 = Date.now();
      const drained = c.nodeB.drain(graceMs);
      expect((await fetch(`${c.nodeB.url}/healthz`)).status).toBe(503);
      await drained;
      const took = Date.now() - t0;
      // B let go as soon as its last socket left: the page moved within the spread (<= 10 s), not at the deadline
      expect(took).toBeLessThan(20_000);
      // ...and resumed its seat on A
      await expect.poll(() => c.env.signalingLog.filter((r) => r.ev === 'resume').length, { timeout: 10_000 }).toBe(1);
      await expect.poll(() => num(c.agent.page, 'call-figures', 'data-frames-decoded'), { timeout: 15_000 }).toBeGreaterThan(framesBefore + 30);
      expect(await c.agent.phase()).toBe('connected');
      expect(await c.customer.page.evaluate(() => (window as unknown as { __phases: string[] }).__phases)).not.toContain('reconnecting');
      expect(await num(c.agent.page, 'call-figures', 'data-recoveries')).toBe(recoveriesBefore);
      await hangUpReachesCustomer(c);
    } finally {
      await c.cleanup();
    }
  });
});
