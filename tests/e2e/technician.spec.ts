/**
 * Three-way triage end to end in real Chromium with real signaling: the
 * agent (web-hosted workstation) invites a technician into a live customer
 * call; the technician's page (its own context) gets the customer's video
 * and draws; the marks of every author — the agent's, the technician's and
 * the customer's taps — reach all three screens, each in its author's
 * colour. All three hear each other (the technician's microphone reaches the
 * customer and the agent; it hears both), and the technician's Mute silences
 * it for both. The agent removes the technician: the technician's page says
 * so and every peer to it is gone within 2 s, and the customer sees who left.
 */
import type { Page } from '@playwright/test';
import type {} from '../../src-renderer/annotation/globals';
import { test, expect, newContext } from './support/call-fixtures';
import { hears, playing, silentOn } from './support/heard';
import { dragOn } from './support/drag';

// about a minute on an idle 2-core machine; the margin is for a loaded one
test.setTimeout(240_000);

const epoch = (p: Page) => p.evaluate(() => performance.timeOrigin + performance.now());

/** Where each page's peers to the technician (or the technician's to the others) are. */
const CUSTOMER_FROM_TECH = 'window.__customerCall.extraPcs';
const AGENT_FROM_TECH = 'window.__agentGuests.pcs';
const TECH_FROM_AGENT = '[window.__technicianCall.pcs.agent]';
const TECH_FROM_CUSTOMER = '[window.__technicianCall.pcs.customer]';

/** The colours of the marks a page's annotation document holds, by author prefix (a: agent, t: technician). */
const COLOURS = `(() => {
  const a = window.__annotationAgent || window.__annotationTech || window.__annotationCustomer;
  return a.doc.shapes().filter((s) => s.kind !== 'laser').map((s) => s.by[0] + ':' + s.style.color).sort();
})()`;

test('three-way: the technician joins by its link, all three see each other\'s marks, Remove cuts it off within 2 s', async ({ billBrowser, callEnv, agent, openCustomer }) => {
  // the agent's case for this contact is open on the desk (the technician's visit goes into its timeline)
  const r = callEnv.web.router;
  const ctx = { host: 'web' } as never;
  const cust = await r.dispatch('customers:create', { name: 'Kim Tanaka', phones: ['+14155550123'] }, ctx) as any;
  const opened = await r.dispatch('cases:create', { customerId: cust.value.id, subject: 'No signal on the fibre box' }, ctx) as any;
  await agent.page.evaluate((id) => (window as any).__cases.openCase(id), opened.value.id);
  // the customer, connected
  const customer = await openCustomer(await agent.newInvite());
  await customer.startCamera();
  await agent.waitConnected(60_000);
  await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');

  // the agent invites a technician, named as the customer will see them
  const panel = agent.page.getByTestId('technician-panel');
  await panel.getByTestId('technician-name').fill('Tess');
  await panel.getByTestId('invite-technician').click();
  const link = await panel.getByTestId('technician-invite-url').inputValue();
  expect(link).toMatch(/\/join\//);
  await expect(panel.getByTestId('technician-invite-qr')).toBeVisible();
  // the customer's own invite was not replaced by it
  expect(await agent.page.evaluate(() => (window as any).__agentCall.state.customer?.memberId)).toBeTruthy();

  // the technician's page: its own context, frames it receives recorded (nothing of the customer's context may arrive)
  const techContext = await newContext(billBrowser);
  await techContext.addInitScript(() => {
    const frames: string[] = ((window as any).__wsFrames = []);
    const Orig = window.WebSocket;
    (window as any).WebSocket = class extends Orig {
      constructor(url: string | URL, p?: string | string[]) {
        super(url, p);
        this.addEventListener('message', (e) => {
          const data = String((e as MessageEvent).data);
          frames.push(data);
          if (data.includes('"ended"')) (window as any).__endedAt = performance.timeOrigin + performance.now();
        });
      }
    };
  });
  const tech = await techContext.newPage();
  try {
    await tech.goto(link);
    await expect(tech.getByTestId('tech-join')).toBeVisible();
    await tech.getByTestId('tech-join').click();
    await expect(tech.getByTestId('tech-status')).toHaveAttribute('data-phase', 'connected', { timeout: 60_000 });
    await tech.waitForFunction(() => { const v = document.querySelector<HTMLVideoElement>('[data-testid="tech-video"]'); return !!v && v.videoWidth > 0 && v.readyState >= 2; }, undefined, { timeout: 30_000 });
    // the customer is told who joined; the agent sees them in the session
    await expect(customer.page.getByTestId('handoff-notice')).toHaveAttribute('data-kind', 'joined');
    await expect(customer.page.getByTestId('handoff-notice')).toContainText('Tess');
    const row = agent.page.getByTestId('session-technician');
    await expect(row).toContainText('Tess');
    await expect(row).toHaveAttribute('data-link', 'connected', { timeout: 30_000 });

    // voices: the technician hears the customer and the agent, both hear the technician, and each page plays them
    const voiceFrom = Date.now();
    const steps: string[] = [];
    const step = (name: string) => steps.push(`${name} ${Date.now() - voiceFrom} ms`);
    await Promise.all([hears(customer.page, CUSTOMER_FROM_TECH), hears(agent.page, AGENT_FROM_TECH), hears(tech, TECH_FROM_AGENT), hears(tech, TECH_FROM_CUSTOMER)]);
    step('all heard');
    await expect.poll(() => playing(tech, 'tech-agent-audio')).toBe(1);
    await expect.poll(() => playing(agent.page, 'technician-audio')).toBe(1);
    await expect.poll(() => playing(customer.page, 'agent-audio')).toBe(2); // the agent's and the technician's
    await expect(customer.page.getByTestId('handoff-notice')).toContainText('talk with you');
    step('played');
    // the technician mutes: silent at the customer's and at the agent's; unmuted, heard again
    await tech.getByTestId('tech-mute').click();
    await expect(tech.getByTestId('tech-mute')).toHaveAttribute('aria-pressed', 'true');
    await Promise.all([silentOn(customer.page, CUSTOMER_FROM_TECH), silentOn(agent.page, AGENT_FROM_TECH)]);
    step('tech muted');
    await tech.getByTestId('tech-mute').click();
    await Promise.all([hears(customer.page, CUSTOMER_FROM_TECH), hears(agent.page, AGENT_FROM_TECH)]);
    step('tech unmuted');
    console.log(`three-way voice checks took ${Date.now() - voiceFrom} ms (${steps.join(', ')})`);
    // the link is single use
    const again = await techContext.newPage();
    await again.goto(link);
    await expect(again.getByTestId('tech-status')).toHaveAttribute('data-phase', 'invalid');
    await again.close();

    // marks: the agent draws an arrow (its red), the technician an arrow (orange), the customer taps
    await agent.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await dragOn(agent.page, 'remote-video', [0.3, 0.3], [0.45, 0.5]);
    await expect(tech.getByTestId('annotation-stage')).toHaveAttribute('data-shapes', '1');
    await dragOn(tech, 'tech-video', [0.55, 0.3], [0.7, 0.6]);
    const both = ['a:#ff3b30', 't:#ff9f0a'];
    for (const p of [agent.page, tech, customer.page]) await expect.poll(() => p.evaluate(COLOURS)).toEqual(both);
    await expect(customer.page.getByTestId('customer-annotation')).toHaveAttribute('data-shapes', '2');
    await expect(agent.page.getByTestId('annotation-stage')).toHaveAttribute('data-shapes', '2');
    await expect(tech.getByTestId('annotation-stage')).toHaveAttribute('data-shapes', '2');
    const cb = (await customer.page.getByTestId('customer-annotation').boundingBox())!;
    await customer.page.mouse.click(cb.x + cb.width * 0.5, cb.y + cb.height * 0.5);
    await expect.poll(() => agent.page.evaluate(() => window.__annotationAgent!.store.get().taps)).toBeGreaterThan(0);
    await expect.poll(() => tech.evaluate(() => (window as any).__annotationTech.store.get().taps)).toBeGreaterThan(0);
    // nobody's channel refused anything on the way
    expect(await agent.page.evaluate(() => window.__annotationAgent!.store.get().rejections)).toBe(0);
    // the guest was never sent the customer's context packet
    const frames = (await tech.evaluate(() => (window as any).__wsFrames)) as string[];
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.filter((f) => f.includes('"context"'))).toEqual([]);

    // Remove: watch, in each page, when the technician is gone there
    await customer.page.evaluate(() => {
      const c = (window as any).__customerCall;
      const t = setInterval(() => { if (c.extraPcs.length === 0) { (window as any).__techGoneAt = performance.timeOrigin + performance.now(); clearInterval(t); } }, 10);
    });
    await tech.evaluate(() => {
      const c = (window as any).__technicianCall;
      const v = document.querySelector<HTMLVideoElement>('[data-testid="tech-video"]')!;
      const t = setInterval(() => {
        const pcs = c.pcs;
        if (!pcs.customer && !pcs.agent && !v.isConnected) { (window as any).__mediaGoneAt = performance.timeOrigin + performance.now(); clearInterval(t); }
      }, 10);
    });
    // the moment of the click, taken in the agent's page (Playwright's own click overhead is not the product's)
    await agent.page.evaluate(() => document.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('[data-testid="remove-technician"]')) (window as any).__removeAt = performance.timeOrigin + performance.now();
    }, true));
    const before = await epoch(agent.page);
    await row.getByTestId('remove-technician').click();
    await expect(tech.getByTestId('tech-status')).toHaveAttribute('data-phase', 'removed');
    await expect(tech.getByTestId('tech-status')).toContainText('removed you');
    await tech.waitForFunction(() => (window as any).__mediaGoneAt, undefined, { timeout: 10_000 });
    await customer.page.waitForFunction(() => (window as any).__techGoneAt, undefined, { timeout: 10_000 });
    const techGone = (await tech.evaluate(() => (window as any).__mediaGoneAt)) as number;
    const customerGone = (await customer.page.evaluate(() => (window as any).__techGoneAt)) as number;
    const t0 = (await agent.page.evaluate(() => (window as any).__removeAt)) as number;
    const endedAt = (await tech.evaluate(() => (window as any).__endedAt)) as number;
    const gone = Math.max(techGone, customerGone) - t0;
    console.log(`technician removed: 'ended' reached its page ${Math.round(endedAt - t0)} ms, its page and media gone ${Math.round(techGone - t0)} ms, the customer's peer to it ${Math.round(customerGone - t0)} ms after the Remove click (Playwright's click took ${Math.round(t0 - before)} ms to land)`);
    expect(gone).toBeLessThan(2000);
    // the customer sees who left; the agent's list no longer holds them; the call goes on
    await expect(customer.page.getByTestId('handoff-notice')).toHaveAttribute('data-kind', 'left');
    await expect(customer.page.getByTestId('handoff-notice')).toContainText('Tess');
    await expect(agent.page.getByTestId('session-technician')).toHaveCount(0);
    await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
    await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-phase', 'connected');
    // the case's timeline on the agent's desk: invited, joined, removed, by the name the agent gave
    const timeline = agent.page.getByTestId('case-timeline');
    await expect(timeline).toContainText('Technician Tess invited into the session');
    await expect(timeline).toContainText('Technician Tess joined the session');
    await expect(timeline).toContainText('Technician Tess removed from the session');
    // the technician's marks stay on the board (the agent may clear them); a reload cannot bring the guest back
    await tech.reload();
    await expect(tech.getByTestId('tech-status')).toHaveAttribute('data-phase', 'invalid');
  } finally {
    await techContext.close();
  }
});
