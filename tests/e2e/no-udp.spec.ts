/**
 * A network that lets no WebRTC through: the customer's Chromium runs in a network namespace
 * (support/netns.ts) where every UDP datagram is dropped and no TURN server is offered, so the
 * page and its signaling socket (TCP) work but the call's peer connection never does. After a
 * while the page offers to send a photo; it goes over HTTP to the signaling node, which checks
 * it and tells the agent, whose workstation fetches it into the bill tray whole.
 *
 * Needs root (ip netns, nft): CI runs as root; elsewhere it is skipped with the reason.
 */
import type { Browser } from '@playwright/test';
import { expect, newContext, openAgentPage, pageLogs, test } from './support/call-fixtures';
import type { CallEnv } from './support/call-env';
import { makeImpairedNet, type ImpairedNet } from './support/netns';
import { startNetnsCall } from './support/netns-call';

test.describe('no WebRTC path: the photo goes over HTTP', () => {
  test.describe.configure({ timeout: 120_000 });
  let net: ImpairedNet | null = null;
  let env: CallEnv | null = null;
  const browsers: Browser[] = [];

  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) console.log(`--- page console ---\n${pageLogs.slice(-80).join('\n')}`);
    for (const b of browsers.splice(0)) await b.close().catch(() => {});
    await env?.close();
    env = null;
    net?.remove();
    net = null;
  });

  test("UDP blocked, no TURN: the customer is offered a photo, and it reaches the agent's tray whole", async () => {
    const made = makeImpairedNet();
    if ('skip' in made) {
      console.log(`skipped: ${made.skip}`);
      test.skip(true, made.skip);
      return;
    }
    net = made;
    net.blockUdp();
    pageLogs.length = 0;
    const started = await startNetnsCall(net, browsers);
    env = started.env;
    const { agentBrowser, customerBrowser } = started;

    const agent = await openAgentPage(agentBrowser, env);
    // A phone photo of a bill: 2000×1500 of noise as a JPEG (~1 MB), so it crosses in many chunks.
    // Made by Chromium (sharp in this process would clash with the OCR worker threads' copy).
    const jpeg = Buffer.from(await agent.page.evaluate(async () => {
      const c = new OffscreenCanvas(2000, 1500);
      const g = c.getContext('2d')!;
      const img = g.createImageData(2000, 1500);
      for (let i = 0; i < img.data.length; i++) img.data[i] = (i % 4 === 3) ? 255 : (Math.imul(i, 2654435761) >>> 24);
      g.putImageData(img, 0, 0);
      const b = await c.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
      const bytes = new Uint8Array(await b.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    }), 'base64');
    const url = await agent.newInvite();
    const customer = await (await newContext(customerBrowser)).newPage();
    customer.on('console', (m) => pageLogs.push(`customer ${m.type()}: ${m.text()}`));
    await customer.goto(url);
    await customer.getByTestId('start-camera').click();
    // The page and its socket work; the peer connection cannot.
    await expect(customer.getByTestId('customer-root')).toHaveAttribute('data-phase', /connecting|reconnecting/, { timeout: 20_000 });
    const t0 = Date.now();
    await expect(customer.getByTestId('photo-fallback')).toBeVisible({ timeout: 20_000 });
    console.log(`photo offered ${Date.now() - t0} ms after the call started trying`);
    await customer.getByTestId('fallback-photo-input').setInputFiles({ name: 'bill.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await expect(customer.getByTestId('fallback-status')).toHaveAttribute('data-state', 'sent', { timeout: 30_000 });

    const thumb = agent.page.locator('[data-testid="still-thumb"][data-source="file"]');
    await expect(thumb).toHaveCount(1, { timeout: 15_000 });
    expect(await thumb.getAttribute('data-width')).toBe('2000');
    const whole = await agent.page.evaluate(async () => {
      const all = (window as unknown as { __agentStillsMap?: { all(): Array<{ bytes: Uint8Array; sha256: string }> } }).__agentStillsMap?.all() ?? [];
      const out: boolean[] = [];
      for (const s of all) {
        const d = new Uint8Array(await crypto.subtle.digest('SHA-256', s.bytes as Uint8Array<ArrayBuffer>));
        out.push([...d].map((b) => b.toString(16).padStart(2, '0')).join('') === s.sha256);
      }
      return out;
    });
    expect(whole).toEqual([true]);
    // The call itself never connected: the photo did not come over a data channel.
    expect(await customer.getByTestId('customer-root').getAttribute('data-phase')).not.toBe('connected');
  });
});
