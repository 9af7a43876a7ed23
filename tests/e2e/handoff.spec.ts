/**
 * Hand-offs end to end in real Chromium, with real signaling and a
 * web-hosted workstation per agent (its own case database, as on separate
 * desktops): a warm transfer during which the customer's video never stops,
 * a consult and return, a cold transfer to a queue taken by another agent,
 * and a receiving workstation that crashes mid-transfer.
 */
import type { Page } from '@playwright/test';
import { test, expect, openAgentPage, openCustomerPage, type AgentHandle, type CustomerHandle } from './support/call-fixtures';
import { startCallEnv, type CallEnv } from './support/call-env';
import { hears, playing, silentOn } from './support/heard';
import { DIRECTORY, FRAME_LOG, gapAt, longestGap, SENT_LOG, startWorkstation, type ExtraWorkstation } from './support/handoff-env';
import { dragOn } from './support/drag';
import type {} from '../../src-renderer/annotation/globals';

test.setTimeout(240_000);
test.use({ callEnvOptions: { signaling: { directory: DIRECTORY }, workstation: { agentId: 'alice', agentName: 'Alice' } } });

/** Where a workstation page's agent-to-agent voice peers are (handoff/agent-voices.ts). */
const AGENT_VOICES = 'window.__agentVoices.pcs';

const epoch = (p: Page) => p.evaluate(() => performance.timeOrigin + performance.now());

/** The marks on a page's board (agent desk or customer page), by author kind and colour, lasers aside. */
const MARKS = `(() => {
  const a = window.__annotationAgent || window.__annotationCustomer;
  return a ? a.doc.shapes().filter((s) => s.kind !== 'laser').map((s) => ({ by: s.by, color: s.style.color })) : null;
})()`;
type Mark = { by: string, color: string };
const marks = (p: Page) => p.evaluate(MARKS) as Promise<Mark[] | null>;
const author = (p: Page) => p.evaluate(() => window.__annotationAgent!.doc.author);
/** The palette's first colour (Alice's default) and the second agent's colour (annotation/sync/colleague-gate.ts). */
const RED = '#ff3b30';
const PURPLE = '#bf5af2';
/** A drag on an agent's live video draws an arrow (the default tool); one move on the way is enough. */
async function drawOn(p: Page, from: [number, number], to: [number, number]) {
  await p.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await dragOn(p, 'remote-video', from, to, 1);
}

/** Alice (the fixture's workstation) with a connected customer; Bob and Carol on their own workstations. */
async function scene(browser: import('@playwright/test').Browser, env: CallEnv, agent: AgentHandle, openCustomer: (u: string) => Promise<CustomerHandle>, more: Array<[string, string]> = [['bob', 'Bob']]) {
  const desks: ExtraWorkstation[] = [];
  const pages: AgentHandle[] = [];
  for (const [id, name] of more) {
    const ws = await startWorkstation(env.signalingUrl, env.signaling, id, name);
    desks.push(ws);
    pages.push(await openAgentPage(browser, { ...env, workstationUrl: ws.url }));
  }
  const invite = await agent.newInvite();
  // the agent's microphone first: on a starved machine a late one renegotiates mid-set-up (not what is tested here)
  await agent.page.waitForFunction(() => !!(window as any).__agentCall.localStream?.getAudioTracks().length, undefined, { timeout: 30_000 });
  const customer = await openCustomer(invite);
  await customer.startCamera();
  await agent.waitConnected(60_000);
  await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
  return {
    others: pages, desks, customer,
    async close() { for (const p of pages) await p.context.close().catch(() => {}); for (const d of desks) await d.close(); },
  };
}

test('warm transfer: Bob joins the live call, the customer\'s video never stops, Alice leaves, no new link or consent', async ({ billBrowser, callEnv, agent, openCustomer }) => {
  const s = await scene(billBrowser, callEnv, agent, openCustomer);
  const bob = s.others[0]!;
  try {
    await expect(agent.page.locator('[data-testid="person"][data-person="bob"]')).toHaveAttribute('data-status', 'available', { timeout: 15_000 });
    // Alice's case: a customer, a note, a still (masked evidence), a credit — on her workstation only
    const r = callEnv.web.router;
    const ctx = { host: 'web' } as never;
    const cust = await r.dispatch('customers:create', { name: 'Kim Tanaka', phones: ['+14155550123'] }, ctx) as any;
    const opened = await r.dispatch('cases:create', { customerId: cust.value.id, subject: 'Roaming fee on March bill' }, ctx) as any;
    const caseId = opened.value.id;
    await r.dispatch('cases:addNote', { caseId, text: 'Customer was in Osaka 3-9 March; plan includes roaming.' }, ctx);
    await agent.page.evaluate((id) => (window as any).__cases.openCase(id), caseId);
    // Alice marks the picture before Bob is there (he gets it when he joins, as a late technician does)
    await drawOn(agent.page, [0.3, 0.3], [0.45, 0.5]);
    await expect(s.customer.page.getByTestId('customer-annotation')).toHaveAttribute('data-shapes', '1');
    const aliceAuthor = await author(agent.page);
    await s.customer.page.evaluate(SENT_LOG);
    await agent.page.evaluate(FRAME_LOG);
    await bob.page.evaluate(FRAME_LOG);
    const customerUrl = s.customer.page.url();

    await agent.page.getByTestId('handoff-note').fill('Disputes the roaming fee on the March bill; already checked the plan.');
    await agent.page.locator('[data-person="bob"] [data-testid="warm-transfer"]').click();
    await expect(agent.page.getByTestId('transfer-status')).toHaveAttribute('data-phase', 'ringing');
    // mid-transfer, End, wrap-up (the disposition) and the status choice are disabled
    await expect(agent.page.getByTestId('end-call')).toBeDisabled();
    await expect(agent.page.getByTestId('save-disposition')).toBeDisabled();
    await expect(agent.page.getByTestId('my-status')).toBeDisabled();
    const t0 = await epoch(agent.page);

    const offer = bob.page.getByTestId('handoff-offer');
    await expect(offer).toHaveAttribute('data-kind', 'warm');
    await expect(offer.getByTestId('offer-note')).toContainText('roaming fee');
    await offer.getByTestId('offer-accept').click();
    const accepted = await epoch(bob.page);
    // Bob sees the customer (and the hand-off note) while Alice is still there
    await bob.waitConnected(30_000);
    await expect(bob.page.getByTestId('receiving-note')).toContainText('roaming fee');
    // the case came along: Bob's own workstation now holds it (imported from the checked bundle) and shows it
    await expect(bob.page.getByTestId('handoff-receiving')).toHaveAttribute('data-case', 'opened', { timeout: 60_000 });
    await expect(bob.page.getByTestId('case-panel')).toContainText('Kim Tanaka');
    await expect(bob.page.getByTestId('case-panel')).toContainText('Osaka 3-9 March');
    await expect(agent.page.getByTestId('transfer-status')).toHaveAttribute('data-phase', 'joined');
    // both agents with the customer: they hear each other too
    const voiceFrom = Date.now();
    await Promise.all([hears(agent.page, AGENT_VOICES), hears(bob.page, AGENT_VOICES)]);
    console.log(`warm transfer: the agents heard each other within ${Date.now() - voiceFrom} ms of Bob joining`);
    await expect(s.customer.page.getByTestId('handoff-notice')).toHaveAttribute('data-kind', 'joined');
    await expect(s.customer.page.getByTestId('handoff-notice')).toContainText('Bob');

    // both agents' live marks, each in its author's colour, over the agents' own peer (never the customer's page):
    // Bob has Alice's earlier mark; Bob's mark reaches Alice and, through her desk, the customer
    const marksFrom = Date.now();
    const bobAuthor = await author(bob.page);
    await expect.poll(() => marks(bob.page), { timeout: 30_000 }).toEqual([{ by: aliceAuthor, color: RED }]);
    await expect(bob.page.getByTestId('annotation-stage')).toHaveAttribute('data-colleague', 'yes');
    await drawOn(bob.page, [0.6, 0.3], [0.75, 0.6]);
    const both = [{ by: aliceAuthor, color: RED }, { by: bobAuthor, color: PURPLE }];
    for (const p of [agent.page, s.customer.page]) await expect.poll(() => marks(p), { timeout: 30_000 }).toEqual(both);
    await drawOn(agent.page, [0.2, 0.7], [0.3, 0.85]);
    await expect.poll(() => marks(bob.page)).toEqual([...both, { by: aliceAuthor, color: RED }]);
    await expect(s.customer.page.getByTestId('customer-annotation')).toHaveAttribute('data-shapes', '3');
    expect(await agent.page.evaluate(() => window.__annotationAgent!.store.get().rejections)).toBe(0);
    console.log(`warm transfer: both agents' marks on all three screens within ${Date.now() - marksFrom} ms of Bob's link`);

    // Alice freezes the picture just before she leaves: the freeze is hers, and must not outlive her on the customer's page
    await agent.page.getByTestId('annot-freeze').click();
    await expect(s.customer.page.getByTestId('customer-annotation')).toHaveAttribute('data-frozen', 'yes');
    await expect(bob.page.getByTestId('annotation-stage')).not.toHaveAttribute('data-frozen', 'no');

    await agent.page.getByTestId('handoff-complete').click();
    await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-ended-reason', 'transferred');
    await expect(s.customer.page.getByTestId('customer-annotation')).toHaveAttribute('data-frozen', 'no', { timeout: 15_000 });
    await expect(bob.page.getByTestId('annotation-stage')).toHaveAttribute('data-frozen', 'no');
    const left = await epoch(agent.page);
    await expect(s.customer.page.getByTestId('handoff-notice')).toHaveAttribute('data-kind', 'transferred');
    // the customer's page: same URL, never back to consent, still connected, now with Bob
    await bob.page.waitForTimeout(1500);
    const t1 = await epoch(bob.page);
    expect(s.customer.page.url()).toBe(customerUrl);
    await expect(s.customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
    await expect(s.customer.page.getByTestId('consent')).toHaveCount(0);
    expect(callEnv.signalingLog.filter((r) => r.ev === 'join')).toHaveLength(1);
    expect(callEnv.signalingLog.filter((r) => r.ev === 'invite_created')).toHaveLength(1);

    // frames: the customer kept sending throughout; the agents together kept receiving
    const sent = (await s.customer.page.evaluate('window.__sent')) as number[];
    const aliceFrames = (await agent.page.evaluate('window.__frames')) as number[];
    const bobFrames = (await bob.page.evaluate('window.__frames')) as number[];
    const firstBob = bobFrames.find((f) => f >= accepted)!;
    const sentGap = longestGap(sent, t0, t1);
    const seenGap = longestGap([...aliceFrames.filter((f) => f <= left), ...bobFrames], t0, t1);
    console.log('timeline (ms after request): accepted', Math.round(accepted - t0), 'bob first', Math.round(firstBob - t0), 'alice left', Math.round(left - t0), 'end', Math.round(t1 - t0),
      'sent gap', JSON.stringify(gapAt(sent, t0, t1)), 'alice gap', JSON.stringify(gapAt(aliceFrames, t0, left)), 'bob gap', JSON.stringify(gapAt(bobFrames, firstBob, t1)));
    console.log(`warm transfer: bob first frame ${Math.round(firstBob - accepted)} ms after accepting; customer's longest send gap ${Math.round(sentGap)} ms; longest gap seen by the agents ${Math.round(seenGap)} ms`);
    expect(firstBob).toBeGreaterThan(0);
    // Continuity, robustly on a loaded machine (the gaps themselves are the bench's job): the customer sent
    // frames in every stage of the hand-off, over the same peer connections, never re-created or restarted.
    const within = (ts: number[], a: number, b: number) => ts.filter((x) => x > a && x <= b).length;
    expect(within(sent, t0, accepted)).toBeGreaterThan(0);
    expect(within(sent, accepted, left)).toBeGreaterThan(0);
    expect(within(sent, left, t1)).toBeGreaterThan(0);
    expect(within(aliceFrames, accepted, left)).toBeGreaterThan(0);
    expect(within(bobFrames, left, t1)).toBeGreaterThan(0);
    expect(await s.customer.page.evaluate('window.__customerCall.recoveries')).toBe(0);
    expect(sentGap).toBeLessThan(8000);

    // the marks outlive Alice: the customer's and Bob's boards keep all three (none lost, none doubled),
    // Bob is now the hub (his palette back), and his next mark reaches the customer from his own desk
    const three = [...both, { by: aliceAuthor, color: RED }];
    const keptFrom = Date.now();
    await expect(bob.page.getByTestId('annotation-stage')).toHaveAttribute('data-colleague', 'no');
    expect(await marks(bob.page)).toEqual(three);
    await expect.poll(() => marks(s.customer.page)).toEqual(three);
    await drawOn(bob.page, [0.5, 0.75], [0.65, 0.9]);
    await expect.poll(() => marks(s.customer.page), { timeout: 30_000 }).toEqual([...three, { by: bobAuthor, color: RED }]);
    expect(await bob.page.evaluate(() => window.__annotationAgent!.store.get().rejections)).toBe(0);
    console.log(`warm transfer: the marks kept and Bob's next one at the customer's in ${Date.now() - keptFrom} ms`);

    // segments: Alice's (a new call) ended with no wrap-up on her desk; Bob's follows hers in his copy of the case
    const segs = async (router: typeof r, id: number) => {
      const out = await router.dispatch('cases:segments', { caseId: id }, ctx) as any;
      return out.ok ? out.value as Array<{ segmentId: string, agentId: string, via: string, previousSegmentId: string | null, acwSec: number | null, endedAt: number | null }> : [];
    };
    await expect.poll(async () => (await segs(r, caseId)).map((x) => [x.agentId, x.via, x.endedAt !== null, x.acwSec])).toEqual([['alice', 'new', true, 0]]);
    const aliceSeg = (await segs(r, caseId))[0]!.segmentId;
    const bobCaseId = await bob.page.evaluate(() => (window as any).__cases ? Number(document.querySelector('[data-testid="case-detail"]')?.getAttribute('data-case-id')) : 0);
    await expect.poll(async () => (await segs(s.desks[0]!.web.router, bobCaseId)).map((x) => [x.agentId, x.via, x.previousSegmentId])).toEqual([['alice', 'new', null], ['bob', 'warm_transfer', aliceSeg]]);

    // Bob owns the call: his hang-up ends it for the customer
    await bob.page.getByTestId('end-call').click();
    await expect(s.customer.page.getByTestId('ended')).toBeVisible();
  } finally {
    await s.close();
  }
});

test('consult and return: the customer is told to wait (video paused), the colleague sees the live view, back without a gap', async ({ billBrowser, callEnv, agent, openCustomer }) => {
  const s = await scene(billBrowser, callEnv, agent, openCustomer);
  const bob = s.others[0]!;
  try {
    await expect(agent.page.locator('[data-testid="person"][data-person="bob"]')).toBeVisible({ timeout: 15_000 });
    await agent.page.getByTestId('consult-keep-video').uncheck();
    await agent.page.getByTestId('handoff-note').fill('Is a roaming fee allowed on this plan?');
    await agent.page.locator('[data-person="bob"] [data-testid="consult"]').click();
    const notice = s.customer.page.getByTestId('handoff-notice');
    await expect(notice).toHaveAttribute('data-kind', 'hold');
    await expect(notice).toContainText('Please hold');
    await expect(agent.page.getByTestId('end-call')).toBeDisabled();
    expect(await s.customer.page.evaluate(() => (window as any).__customerCall.state.localStream.getVideoTracks()[0].enabled)).toBe(false);

    const offer = bob.page.getByTestId('handoff-offer');
    await expect(offer).toHaveAttribute('data-kind', 'consult');
    await offer.getByTestId('offer-accept').click();
    await bob.waitConnected(60_000);
    await expect(agent.page.getByTestId('consult-status')).toHaveAttribute('data-phase', 'talking');
    // the colleague is not heard by the waiting customer, but the two agents talk
    expect(await bob.page.evaluate(() => (window as any).__agentCall.state.micMuted)).toBe(true);
    const voiceFrom = Date.now();
    await Promise.all([
      silentOn(s.customer.page, 'window.__customerCall.extraPcs'), hears(agent.page, AGENT_VOICES), hears(bob.page, AGENT_VOICES),
      expect.poll(() => playing(agent.page, 'colleague-audio')).toBe(1), expect.poll(() => playing(bob.page, 'colleague-audio')).toBe(1),
    ]);
    console.log(`consult voice checks took ${Date.now() - voiceFrom} ms`);
    // the colleague's marks reach Alice and (through her desk) the customer, in the colleague's colour, and stay after the consult
    const carolFrom = Date.now();
    const carol = [{ by: await author(bob.page), color: PURPLE }];
    await expect(bob.page.getByTestId('annotation-stage')).toHaveAttribute('data-colleague', 'yes', { timeout: 30_000 });
    await drawOn(bob.page, [0.6, 0.3], [0.75, 0.6]);
    for (const p of [agent.page, s.customer.page]) await expect.poll(() => marks(p), { timeout: 30_000 }).toEqual(carol);
    console.log(`consult: the colleague's mark on Alice's and the customer's screens in ${Date.now() - carolFrom} ms`);

    await agent.page.getByTestId('consult-return').click();
    await expect(bob.page.getByTestId('agent-status')).toHaveAttribute('data-phase', 'ended');
    await expect(notice).toHaveCount(0);
    // the colleague's voice link went with them
    await expect.poll(() => agent.page.evaluate(() => (window as any).__agentVoices.pcs.length)).toBe(0);
    await expect(agent.page.getByTestId('colleague-audio')).toHaveCount(0);
    expect(await s.customer.page.evaluate(() => (window as any).__customerCall.state.localStream.getVideoTracks()[0].enabled)).toBe(true);
    await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-phase', 'connected');
    await expect(agent.page.getByTestId('end-call')).toBeEnabled();
    await expect(s.customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
    expect(await marks(agent.page)).toEqual(carol);
    expect(await marks(s.customer.page)).toEqual(carol);
  } finally {
    await s.close();
  }
});

test('cold transfer to a queue: the customer waits on a clear page, an agent of the queue takes it, Alice is released', async ({ billBrowser, callEnv, agent, openCustomer }) => {
  const s = await scene(billBrowser, callEnv, agent, openCustomer, [['bob', 'Bob'], ['carol', 'Carol']]);
  const [bob, carol] = s.others as [AgentHandle, AgentHandle];
  try {
    await expect(agent.page.locator('[data-testid="queue-transfer"][data-queue="billing"]')).toBeVisible({ timeout: 15_000 });
    await agent.page.getByTestId('handoff-note').fill('Wants the late fee waived.');
    await agent.page.locator('[data-testid="queue-transfer"][data-queue="billing"]').click();
    await expect(s.customer.page.getByTestId('handoff-notice')).toHaveAttribute('data-kind', 'transfer_waiting');
    await expect(s.customer.page.getByTestId('handoff-notice')).toContainText('You are being transferred');
    // only the billing queue's agent is offered it
    await expect(bob.page.getByTestId('handoff-offer')).toHaveAttribute('data-kind', 'cold');
    await expect(carol.page.getByTestId('handoff-offer')).toHaveCount(0);
    await bob.page.getByTestId('offer-accept').click();
    await bob.waitConnected(60_000);
    await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-ended-reason', 'transferred', { timeout: 30_000 });
    await expect(s.customer.page.getByTestId('handoff-notice')).toHaveAttribute('data-kind', 'transferred');
    await expect(s.customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
    await expect(bob.page.getByTestId('receiving-note')).toHaveCount(0);
  } finally {
    await s.close();
  }
});

test('the receiving workstation crashes mid-transfer: the customer stays with Alice, who can end the call again', async ({ billBrowser, callEnv, agent, openCustomer }) => {
  const s = await scene(billBrowser, callEnv, agent, openCustomer);
  const bob = s.others[0]!;
  try {
    await expect(agent.page.locator('[data-testid="person"][data-person="bob"]')).toBeVisible({ timeout: 15_000 });
    await agent.page.locator('[data-person="bob"] [data-testid="warm-transfer"]').click();
    await bob.page.getByTestId('offer-accept').click();
    await expect(agent.page.getByTestId('transfer-status')).toHaveAttribute('data-phase', 'joined', { timeout: 30_000 });
    await bob.context.close(); // the whole desktop goes
    await expect(agent.page.getByTestId('transfer-status')).toHaveAttribute('data-reason', 'target_gone', { timeout: 30_000 });
    await expect(agent.page.getByTestId('end-call')).toBeEnabled();
    await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-phase', 'connected');
    await expect(s.customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
    expect(await s.customer.page.evaluate('window.__customerCall.recoveries')).toBe(0);
  } finally {
    await s.close();
  }
});

test.describe('across signaling nodes', () => {
  test('warm transfer with Alice on node A and Bob on node B (shared Redis)', async ({ billBrowser }) => {
    const { startRedis } = await import('../integration/signaling-prod/servers');
    const { RedisStore } = await import('../../signaling-server/redis/index');
    const { startSignalingServer } = await import('../../signaling-server/server');
    const { STATIC_DIR } = await import('./support/call-env');
    const { randomBytes } = await import('node:crypto');
    const { grantKeyFile } = await import('../support/grant-key');
    const redis = await startRedis();
    const prefix = `ho${process.pid}:`;
    const env = await startCallEnv({
      signaling: { directory: DIRECTORY, nodeId: 'node-a', store: new RedisStore({ url: redis.url, prefix, nodeId: 'node-a', nodeTtlMs: 2000 }), redis: { url: redis.url, prefix }, approvals: { signingKeyFile: grantKeyFile() } },
      workstation: { agentId: 'alice', agentName: 'Alice' },
    });
    const nodeB = await startSignalingServer({
      secret: randomBytes(32).toString('base64url'), port: 0, host: '127.0.0.1', staticDir: STATIC_DIR, log: () => {}, nodeId: 'node-b', directory: DIRECTORY,
      store: new RedisStore({ url: redis.url, prefix, nodeId: 'node-b', nodeTtlMs: 2000 }), redis: { url: redis.url, prefix }, approvals: { signingKeyFile: grantKeyFile() },
    });
    const bobDesk = await startWorkstation(nodeB.url, nodeB, 'bob', 'Bob');
    const opened: CustomerHandle[] = [];
    let alice: AgentHandle | undefined;
    let bob: AgentHandle | undefined;
    try {
      alice = await openAgentPage(billBrowser, env);
      bob = await openAgentPage(billBrowser, { ...env, workstationUrl: bobDesk.url });
      const invite = await alice.newInvite();
      await alice.page.waitForFunction(() => !!(window as any).__agentCall.localStream?.getAudioTracks().length, undefined, { timeout: 30_000 });
      const customer = await openCustomerPage(billBrowser, invite);
      opened.push(customer);
      await customer.startCamera();
      await alice.waitConnected(60_000);
      // Bob is in Alice's directory although he is signed in on the other node
      await expect(alice.page.locator('[data-testid="person"][data-person="bob"]')).toBeVisible({ timeout: 20_000 });
      await alice.page.locator('[data-person="bob"] [data-testid="warm-transfer"]').click();
      await bob.page.getByTestId('offer-accept').click();
      await bob.waitConnected(60_000);
      await alice.page.getByTestId('handoff-complete').click();
      await expect(alice.page.getByTestId('agent-status')).toHaveAttribute('data-ended-reason', 'transferred');
      await expect(customer.page.getByTestId('handoff-notice')).toHaveAttribute('data-kind', 'transferred');
      await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
      expect(await customer.page.evaluate('window.__customerCall.recoveries')).toBe(0);
      expect(nodeB.stats().joins).toBe(0); // the customer never moved: only Bob is on node B
      // Bob's hang-up (node B) ends it for the customer (node A)
      await bob.page.getByTestId('end-call').click();
      await expect(customer.page.getByTestId('ended')).toBeVisible({ timeout: 30_000 });
    } finally {
      for (const c of opened) await c.close().catch(() => {});
      await alice?.context.close().catch(() => {});
      await bob?.context.close().catch(() => {});
      await bobDesk.close();
      await nodeB.close();
      await env.close();
      await redis.stop();
    }
  });
});
