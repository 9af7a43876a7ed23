/**
 * The call on a real bad network. The customer's Chromium runs in a network namespace this
 * test makes (support/netns.ts), joined to the host by a veth pair; the link is shaped for
 * real with `tc tbf` (rate) and an nftables `numgen random` rule (loss). The signaling server
 * listens on the veth's host end, so signaling and media both cross the shaped link.
 *
 *   300 kbit/s + 5 % loss: the ladder steps down within 10 s and frames keep arriving;
 *                          a full-resolution still taken now arrives whole (sha256-checked).
 *   50 kbit/s (+ 5 %):     voice only, and the call stays connected with audio flowing.
 *   limits lifted:         it climbs back to live video.
 *
 * Needs root (ip netns, tc, nft): CI runs as root; elsewhere it is skipped with the reason.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, newContext, openAgentPage, pageLogs, dumpPeer, test } from './support/call-fixtures';
import type { CallEnv } from './support/call-env';
import { makeImpairedNet, type ImpairedNet } from './support/netns';
import { startNetnsCall } from './support/netns-call';

const LIVE = ['hd', 'sd', 'low'];

async function quality(page: Page): Promise<Record<string, string>> {
  return page.getByTestId('quality-panel').evaluate((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>);
}
/** The mode the customer's page has applied to its senders (and the one it tells the customer about). */
async function customerMode(page: Page): Promise<string> {
  return page.evaluate(() => {
    const c = (window as unknown as { __customerCall: { state: { link: string }; recoveries: number; quality: { state: { mode: string; probeFrom: string | null; reason: string }; store: { get(): { reading: { at: number; availableKbps: number | null; lossPct: number | null } | null } } } } }).__customerCall;
    const q = c.quality;
    const r = q.store.get().reading;
    return `${q.state.mode}/${q.state.probeFrom ?? q.state.mode} ${q.state.reason} est=${r?.availableKbps} loss=${r?.lossPct} read=${r ? Math.round(performance.now() - r.at) : '-'}ms ago link=${c.state.link} rec=${c.recoveries}`;
  });
}
/** The customer's still transfer as its page sees it (printed with the trace when the test fails). */
async function stillsState(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify((window as unknown as { __customerStills?: { store: { get(): unknown } } | null }).__customerStills?.store.get() ?? null));
}
/** The agent's own sending as its peer sees it: voice out (bytes, cap), estimate, and what the customer reports of that voice. */
async function agentOut(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { __agentCall?: { pc: RTCPeerConnection | null } }).__agentCall?.pc;
    if (!pc) return 'no peer';
    let out = '';
    (await pc.getStats()).forEach((r: Record<string, unknown>) => {
      if (r.type === 'outbound-rtp' && r.kind === 'audio') out += `aout=${r.bytesSent}B/${r.packetsSent}p target=${r.targetBitrate ?? '-'} `;
      if (r.type === 'remote-inbound-rtp' && r.kind === 'audio') out += `aRR lost=${r.packetsLost} fl=${r.fractionLost} `;
      if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') out += `est=${r.availableOutgoingBitrate ?? '-'} `;
      if (r.type === 'data-channel') out += `dc ${r.messagesSent}/${r.messagesReceived} `;
    });
    const cap = pc.getSenders().find((x) => x.track?.kind === 'audio')?.getParameters().encodings?.[0]?.maxBitrate;
    return `${out}cap=${cap ?? '-'}`;
  });
}
async function framesDecoded(page: Page): Promise<number> {
  return Number(await page.getByTestId('call-figures').getAttribute('data-frames-decoded'));
}
async function audioInBytes(page: Page): Promise<number> {
  return Number(await page.getByTestId('call-figures').getAttribute('data-audio-in-bytes'));
}

test.describe('call under real network impairment', () => {
  test.describe.configure({ timeout: 300_000 });
  let net: ImpairedNet | null = null;
  let env: CallEnv | null = null;
  const browsers: Browser[] = [];
  const trace: string[] = [];
  /** Stops the sampler and waits for its last round: a page.evaluate still in flight when the browsers close fails the test (an unbound handle). */
  let stopSampler: () => Promise<void> = async () => {};
  let dumpCustomer: (() => Promise<string>) | null = null;

  test.afterEach(async ({}, testInfo) => {
    await stopSampler();
    if (net && testInfo.status !== testInfo.expectedStatus) console.log('--- link ---\n' + net.stats());
    if (testInfo.status !== testInfo.expectedStatus && dumpCustomer) console.log('--- customer ladder history ---\n' + await dumpCustomer().catch((e) => String(e)));
    dumpCustomer = null;
    if (process.env.VA_TRACE || testInfo.status !== testInfo.expectedStatus) console.log(`--- page console ---\n${pageLogs.slice(-120).join('\n')}\n--- quality ---\n${trace.join('\n')}`);
    trace.length = 0;
    for (const b of browsers.splice(0)) await b.close().catch(() => {});
    await env?.close();
    env = null;
    net?.remove();
    net = null;
  });

  test('300 kbit/s + 5 % loss steps down and keeps frames; 50 kbit/s goes to voice only and stays up; lifted, it climbs back', async () => {
    const made = makeImpairedNet();
    if ('skip' in made) {
      console.log(`skipped: ${made.skip}`);
      test.skip(true, made.skip);
      return;
    }
    net = made;
    pageLogs.length = 0;
    const started = await startNetnsCall(net, browsers);
    env = started.env;
    const { agentBrowser, customerBrowser } = started;

    const agent = await openAgentPage(agentBrowser, env);
    const url = await agent.newInvite();
    expect(new URL(url).hostname).toBe(net.hostAddr);
    const cctx = await newContext(customerBrowser);
    const customer = await cctx.newPage();
    customer.on('console', (m) => pageLogs.push(`customer ${m.type()}: ${m.text()}`));
    await customer.goto(url);
    dumpCustomer = () => customer.evaluate(() => (window as unknown as { __customerCall: { quality: { history: Array<{ reading: Record<string, unknown>; mode: string; link: string }> } } }).__customerCall.quality.history
      .map((h) => `${(Number(h.reading.at) / 1000).toFixed(1)} ${h.link} est=${h.reading.availableKbps} loss=${h.reading.lossPct} rtt=${h.reading.rttMs} lim=${h.reading.limitation} fr=${h.reading.freezes} -> ${h.mode}`).join('\n'));
    await customer.getByTestId('start-camera').click();
    try {
      await agent.waitConnected(30_000);
    } catch (err) {
      console.log(await dumpPeer(agent.page, 'agent'), '\n', await dumpPeer(customer, 'customer'));
      throw err;
    }
    // The ladder's readings as the agent sees them, every second (printed when the test fails).
    const t0 = Date.now();
    let inflight: Promise<unknown> = Promise.resolve();
    const sampler = setInterval(() => {
      inflight = Promise.all([quality(agent.page), customerMode(customer), stillsState(customer), agentOut(agent.page)]).then(([q, c, st, ao]) => trace.push(`+${((Date.now() - t0) / 1000).toFixed(1)}s customer ${c} | agent sees ${q.mode}/${q.shown} ${q.reason} est=${q.availableKbps} loss=${q.lossPct} stale=${q.stale ?? '-'} | agent sends ${ao} | still ${st}`)).catch(() => {});
    }, 1000);
    stopSampler = async () => { clearInterval(sampler); await inflight; };
    const panel = agent.page.getByTestId('quality-panel');
    await expect(panel).toHaveAttribute('data-mode', 'hd', { timeout: 15_000 });
    // The media path crosses the veth: the customer's side of the pair is its namespace address.
    const path = await customer.evaluate(async () => {
      const pc = (window as unknown as { __customerCall: { pc: RTCPeerConnection } }).__customerCall.pc;
      let local = '';
      (await pc.getStats()).forEach((r: { type: string; address?: string; candidateType?: string }) => { if (r.type === 'local-candidate' && r.address) local += `${r.address} `; });
      return local;
    });
    expect(path).toContain(net.nsAddr);

    // --- 300 kbit/s, 5 % loss --------------------------------------------------------------
    net.shape({ kbit: 300, lossPct: 5 });
    const t300 = Date.now();
    trace.push(`+${((t300 - t0) / 1000).toFixed(1)}s shaped: 300 kbit/s, 5 % loss`);
    // The sender (the customer's page, which owns the encoder) steps down within 10 s ...
    await expect.poll(async () => (await customerMode(customer)).split(' ')[0], { timeout: 10_000, intervals: [250] }).not.toMatch(/^hd\//);
    console.log(`300 kbit/s + 5 %: stepped down after ${Date.now() - t300} ms:`, await customerMode(customer));
    // ... and the agent's panel shows it once the status crosses the congested link.
    await expect.poll(async () => (await quality(agent.page)).shown, { timeout: 15_000, intervals: [250] }).not.toBe('hd');
    console.log(`agent sees it after ${Date.now() - t300} ms`);
    // The customer is told, in their language.
    await expect(customer.getByTestId('quality-notice')).toBeVisible();
    // Frames keep flowing (a live-video rung, the decoded count moving).
    await customer.waitForTimeout(3000);
    const q300 = await quality(agent.page);
    expect(LIVE).toContain(q300.shown);
    const f0 = await framesDecoded(agent.page);
    await expect.poll(() => framesDecoded(agent.page), { timeout: 8_000 }).toBeGreaterThan(f0 + 10);

    // A full-resolution still taken now arrives whole: checked chunks, sha256 verified on arrival.
    trace.push(`+${((Date.now() - t0) / 1000).toFixed(1)}s still requested`);
    await agent.page.getByTestId('take-still').click();
    // If the device's answer is held up on the link, a frame of the video stands in first; the
    // device's own still must still arrive, beside it.
    const thumb = agent.page.locator('[data-testid="still-thumb"][data-source="camera"]');
    await expect(thumb).toHaveCount(1, { timeout: 90_000 });
    trace.push(`+${((Date.now() - t0) / 1000).toFixed(1)}s still arrived; tray: ${(await agent.page.getByTestId('still-thumb').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.source))).join(',')}`);
    expect(Number(await thumb.getAttribute('data-width'))).toBeGreaterThanOrEqual(1280);
    const whole = await agent.page.evaluate(async () => {
      const w = window as unknown as { __agentStillsMap?: { all(): Array<{ bytes: Uint8Array; sha256: string }> } };
      const all = w.__agentStillsMap?.all() ?? [];
      const out: boolean[] = [];
      for (const s of all) {
        const d = new Uint8Array(await crypto.subtle.digest('SHA-256', s.bytes as Uint8Array<ArrayBuffer>));
        out.push([...d].map((b) => b.toString(16).padStart(2, '0')).join('') === s.sha256);
      }
      return out;
    });
    expect(whole.length).toBeGreaterThan(0);
    expect(whole.every(Boolean)).toBe(true);

    // --- 50 kbit/s ------------------------------------------------------------------------
    net.shape({ kbit: 50, lossPct: 5 });
    const t50 = Date.now();
    trace.push(`+${((t50 - t0) / 1000).toFixed(1)}s shaped: 50 kbit/s, 5 % loss`);
    // The sender (the customer's page, which owns the encoder) goes to voice only. Its status to the
    // agent rides the data channel, which on this link can stall for tens of seconds (SCTP
    // retransmission back-off), so the agent's side is checked by what it sees: no picture, a weak mark.
    await expect.poll(async () => (await customerMode(customer)).split(' ')[0], { timeout: 30_000, intervals: [500] }).toBe('audio/audio');
    console.log(`50 kbit/s: voice only after ${Date.now() - t50} ms; agent's panel:`, await quality(agent.page));
    await expect(customer.getByTestId('quality-notice')).toHaveAttribute('data-mode', 'audio');
    await expect(agent.page.getByTestId('weak-connection')).toBeVisible();
    // The agent's panel never passes an old reading off as the present: within a few seconds it
    // shows voice only, or says its last report is old (the status is held up on the link).
    await expect.poll(async () => { const q = await quality(agent.page); return q.shown === 'audio' || q.stale === 'true'; }, { timeout: 8_000, intervals: [250] }).toBe(true);
    // Stays connected, with the customer's voice arriving, for 15 s.
    const a0 = await audioInBytes(agent.page);
    await agent.page.waitForTimeout(15_000);
    expect(await agent.phase()).toBe('connected');
    expect(await customer.getByTestId('customer-root').getAttribute('data-phase')).toBe('connected');
    expect(await audioInBytes(agent.page)).toBeGreaterThan(a0 + 15 * 1000); // > 8 kbit/s of voice on average
    expect((await customerMode(customer)).split(' ')[0]).toBe('audio/audio');
    trace.push(`+${((Date.now() - t0) / 1000).toFixed(1)}s agent's panel after 15 s of voice only: ${(await quality(agent.page)).shown}`);

    // --- limits lifted -------------------------------------------------------------------
    net.shape(null);
    const tUp = Date.now();
    trace.push(`+${((tUp - t0) / 1000).toFixed(1)}s limits lifted`);
    await expect.poll(async () => (await customerMode(customer)).split(' ')[0]!.split('/')[1], { timeout: 60_000, intervals: [500] }).toMatch(/^(hd|sd|low)$/);
    console.log(`lifted: live video again after ${Date.now() - tUp} ms`, await customerMode(customer), await quality(agent.page));
    const f1 = await framesDecoded(agent.page);
    await expect.poll(() => framesDecoded(agent.page), { timeout: 10_000 }).toBeGreaterThan(f1 + 20);
    await expect(agent.page.getByTestId('weak-connection')).toBeHidden({ timeout: 10_000 });
  });
});
