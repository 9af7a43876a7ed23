/**
 * A technician in a session that changes hands, end to end in real Chromium
 * with real signaling (one context per role: Alice, the customer, the
 * technician, Bob):
 *  - joining late, the technician sees the marks already on the board;
 *  - Alice's freeze-frame reaches the technician's screen (and her resume);
 *  - during a warm transfer Bob (the second agent) hears the technician, the
 *    technician hears Bob, and the technician's marks reach Bob's screen;
 *  - once Alice has left, the technician's marks reach the customer through Bob.
 * And a technician without a microphone joins listen-only: it hears both,
 * draws, its page says the others cannot hear it, and the call goes on.
 */
import type { Page } from '@playwright/test';
import type {} from '../../src-renderer/annotation/globals';
import { test, expect, newContext, openAgentPage } from './support/call-fixtures';
import { hears, playing } from './support/heard';
import { DIRECTORY, startWorkstation } from './support/handoff-env';
import { dragOn } from './support/drag';

test.setTimeout(240_000);
test.use({ callEnvOptions: { signaling: { directory: DIRECTORY }, workstation: { agentId: 'alice', agentName: 'Alice' } } });

/** The technician's marks (author prefix t) in a page's annotation document. */
const TECH_MARKS = `(() => {
  const a = window.__annotationAgent || window.__annotationTech || window.__annotationCustomer;
  return a ? a.doc.shapes().filter((s) => s.kind !== 'laser' && s.by[0] === 't').length : -1;
})()`;

/** The technician's peer to the agent who is not the one its page names (the second agent). */
const TECH_FROM_SECOND = '(() => { const p = window.__technicianCall.pcs; return p.agents.filter((pc) => pc !== p.agent); })()';
const AGENT_FROM_TECH = 'window.__agentGuests.pcs';

/** The agent invites a technician; the technician's page joins (in its own context) and sees the customer's video. */
async function joinTechnician(agentPage: Page, techPage: Page) {
  const panel = agentPage.getByTestId('technician-panel');
  await panel.getByTestId('technician-name').fill('Tess');
  await panel.getByTestId('invite-technician').click();
  const link = await panel.getByTestId('technician-invite-url').inputValue();
  await techPage.goto(link);
  await techPage.getByTestId('tech-join').click();
  await expect(techPage.getByTestId('tech-status')).toHaveAttribute('data-phase', 'connected', { timeout: 60_000 });
  await techPage.waitForFunction(() => { const v = document.querySelector<HTMLVideoElement>('[data-testid="tech-video"]'); return !!v && v.videoWidth > 0 && v.readyState >= 2; }, undefined, { timeout: 30_000 });
}

test('technician across a warm transfer: joins late and sees the marks, sees the freeze, Bob hears it and gets its marks, then relays them to the customer', async ({ billBrowser, callEnv, agent, openCustomer }) => {
  const customer = await openCustomer(await agent.newInvite());
  await customer.startCamera();
  await agent.waitConnected(60_000);
  // Alice marks the picture before any technician is there
  await agent.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await dragOn(agent.page, 'remote-video', [0.3, 0.3], [0.45, 0.5]);
  await expect(customer.page.getByTestId('customer-annotation')).toHaveAttribute('data-shapes', '1');

  const techContext = await newContext(billBrowser);
  const tech = await techContext.newPage();
  const bobDesk = await startWorkstation(callEnv.signalingUrl, callEnv.signaling, 'bob', 'Bob');
  let bob: Awaited<ReturnType<typeof openAgentPage>> | null = null;
  try {
    await joinTechnician(agent.page, tech);
    // late joiner: the mark drawn before it came is on its screen
    await expect(tech.getByTestId('annotation-stage')).toHaveAttribute('data-shapes', '1', { timeout: 30_000 });

    // Alice freezes the picture: the technician's screen shows a frozen frame; her resume brings it back to live
    await agent.page.getByTestId('annot-freeze').click();
    await expect(agent.page.getByTestId('annotation-stage')).not.toHaveAttribute('data-frozen', 'no');
    await expect(tech.getByTestId('annotation-stage')).toHaveAttribute('data-frozen', 'local');
    await agent.page.getByTestId('annot-freeze').click();
    await expect(tech.getByTestId('annotation-stage')).toHaveAttribute('data-frozen', 'no');

    // warm transfer to Bob: Bob is seated beside Alice and the technician
    bob = await openAgentPage(billBrowser, { ...callEnv, workstationUrl: bobDesk.url });
    await expect(agent.page.locator('[data-testid="person"][data-person="bob"]')).toHaveAttribute('data-status', 'available', { timeout: 15_000 });
    await agent.page.evaluate(() => (window as any).__handoff.transfer('warm', { agentId: 'bob' }, 'fibre box, technician Tess on the call'));
    await bob.page.getByTestId('handoff-offer').getByTestId('offer-accept').click();
    await bob.waitConnected(60_000);
    // Bob and the technician hear each other on a peer of their own
    await expect.poll(() => bob!.page.evaluate(() => (window as any).__agentGuests.pcs.length), { timeout: 30_000 }).toBe(1);
    await Promise.all([hears(bob.page, AGENT_FROM_TECH), hears(tech, TECH_FROM_SECOND)]);
    await expect.poll(() => playing(bob!.page, 'technician-audio')).toBe(1);
    await expect.poll(() => playing(tech, 'tech-other-agent-audio')).toBe(1);
    // the technician draws: Alice (and through her the customer) and Bob get the mark
    await dragOn(tech, 'tech-video', [0.55, 0.3], [0.7, 0.6]);
    for (const p of [agent.page, bob.page, customer.page]) await expect.poll(() => p.evaluate(TECH_MARKS)).toBe(1);

    // Alice completes the transfer and leaves: the technician stays, now with Bob
    await expect.poll(() => agent.page.evaluate(() => (window as any).__handoff.state.transfer.phase), { timeout: 30_000 }).toBe('joined');
    await agent.page.evaluate(() => (window as any).__handoff.completeTransfer());
    await expect.poll(() => agent.page.evaluate(() => (window as any).__agentCall.state.endedReason)).toBe('transferred');
    await expect.poll(() => tech.evaluate(() => (window as any).__technicianCall.pcs.agents.length)).toBe(1);
    await expect(tech.getByTestId('tech-status')).toHaveAttribute('data-phase', 'connected');
    // its next mark reaches the customer through Bob's workstation
    await dragOn(tech, 'tech-video', [0.2, 0.7], [0.35, 0.85]);
    await expect.poll(() => bob!.page.evaluate(TECH_MARKS)).toBe(2);
    await expect.poll(() => customer.page.evaluate(TECH_MARKS), { timeout: 30_000 }).toBe(2);
    expect(await bob.page.evaluate(() => window.__annotationAgent!.store.get().rejections)).toBe(0);
  } finally {
    await techContext.close();
    await bob?.context.close().catch(() => {});
    await bobDesk.close();
  }
});

test('a technician without a microphone joins listen-only: hears both, draws, is told nobody hears it; the call goes on', async ({ billBrowser, agent, openCustomer }) => {
  const customer = await openCustomer(await agent.newInvite());
  await customer.startCamera();
  await agent.waitConnected(60_000);
  const techContext = await newContext(billBrowser);
  // no microphone on this device: audio capture fails as it does on a desk without one
  await techContext.addInitScript(() => {
    const md = navigator.mediaDevices;
    const orig = md.getUserMedia.bind(md);
    md.getUserMedia = (c?: MediaStreamConstraints) => (c?.audio ? Promise.reject(new DOMException('Requested device not found', 'NotFoundError')) : orig(c));
  });
  const tech = await techContext.newPage();
  try {
    await joinTechnician(agent.page, tech);
    await expect(tech.getByTestId('tech-no-mic')).toBeVisible();
    await expect(tech.getByTestId('tech-mute')).toHaveCount(0);
    // it hears the agent and the customer (receive-only audio on both peers)
    await Promise.all([hears(tech, '[window.__technicianCall.pcs.agent]'), hears(tech, '[window.__technicianCall.pcs.customer]')]);
    // it draws: the agent and the customer get the mark
    await dragOn(tech, 'tech-video', [0.55, 0.3], [0.7, 0.6]);
    for (const p of [agent.page, customer.page]) await expect.poll(() => p.evaluate(TECH_MARKS), { timeout: 30_000 }).toBe(1);
    // nobody broke: the agent's row shows it linked, the call is connected on both sides
    await expect(agent.page.getByTestId('session-technician')).toHaveAttribute('data-link', 'connected', { timeout: 30_000 });
    await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-phase', 'connected');
    await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
  } finally {
    await techContext.close();
  }
});
