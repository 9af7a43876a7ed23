/**
 * The first visual call, end to end, in real Chromium: the workstation UI in
 * the web host, the customer page in a second context with a fake camera
 * showing a rendered bill, the real signaling server in between (and a real
 * coturn for the network-loss case).
 */
import type { Page } from '@playwright/test';
import { test, expect, num, openAgentPage, openCustomerPage, pageLogs } from './support/call-fixtures';
import { startCallEnv } from './support/call-env';
import { hasCoturn, startCoturn } from './support/coturn';

/**
 * What the agent's <video> shows: requestVideoFrameCallback over ~3 s (how
 * many frames were presented, and that media time advanced), plus pixel
 * samples: the first against every later frame (largest mean luma change).
 */
async function watchRemoteVideo(page: Page) {
  return page.evaluate(async () => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]')!;
    const c = document.createElement('canvas');
    c.width = 160; c.height = 90;
    const g = c.getContext('2d', { willReadFrequently: true })!;
    const grab = () => { g.drawImage(v, 0, 0, c.width, c.height); return g.getImageData(0, 0, c.width, c.height).data; };
    const lumas = (d: Uint8ClampedArray) => { const out: number[] = []; for (let i = 0; i < d.length; i += 4) out.push(0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!); return out; };
    const a = lumas(grab());
    const seen: Array<{ presented: number; mediaTime: number; rtp: number | null }> = [];
    let maxDiff = 0;
    const t0 = performance.now();
    await new Promise<void>((done) => {
      const tick = (_now: number, m: VideoFrameCallbackMetadata) => {
        seen.push({ presented: m.presentedFrames, mediaTime: m.mediaTime, rtp: m.rtpTimestamp ?? null });
        const cur = lumas(grab());
        maxDiff = Math.max(maxDiff, cur.reduce((s, x, i) => s + Math.abs(x - a[i]!), 0) / cur.length);
        // At least 3 s, and on a starved CPU until a few frames were seen (at most 10 s).
        const t = performance.now() - t0;
        if ((t >= 3000 && seen.length >= 5) || t >= 10_000) done(); else v.requestVideoFrameCallback(tick);
      };
      v.requestVideoFrameCallback(tick);
    });
    const b = lumas(grab());
    const mean = b.reduce((s, x) => s + x, 0) / b.length;
    const sd = Math.sqrt(b.reduce((s, x) => s + (x - mean) ** 2, 0) / b.length);
    const white = b.filter((x) => x > 200).length / b.length;
    const diff = Math.max(maxDiff, b.reduce((s, x, i) => s + Math.abs(x - a[i]!), 0) / b.length);
    const first = seen[0]!, last = seen[seen.length - 1]!;
    // "Newer" is the sender's capture clock, the frame's RTP timestamp (90 kHz, wrapping at 2^32). For a WebRTC
    // frame Chromium's mediaTime is the receiver's estimated render time instead, which steps back when the
    // jitter buffer's delay shrinks after a network recovery (seen under CI load: 71@12.036 then 72@11.864,
    // and 84@12.651 then 87@12.650) although the frames came out of the decoder in order.
    // The same frame may be presented twice (seen under load after an ICE restart: 142@15.037 and 144@15.037,
    // one RTP timestamp): that is not out of order. Only a frame captured before the one shown last fails.
    const notOlder = (a: { rtp: number | null; mediaTime: number }, b: { rtp: number | null; mediaTime: number }) =>
      a.rtp !== null && b.rtp !== null ? ((a.rtp - b.rtp) >>> 0) < 2 ** 31 : a.mediaTime >= b.mediaTime;
    const back = seen.findIndex((s, i) => i > 0 && !notOlder(s, seen[i - 1]!));
    const monotonic = back < 0;
    const around = back < 0 ? '' : seen.slice(Math.max(0, back - 3), back + 3).map((s) => `${s.presented}@${s.mediaTime.toFixed(3)}/rtp ${s.rtp}`).join(' ');
    return { around, withRtp: seen.every((s) => s.rtp !== null), callbacks: seen.length, presented: last.presented - first.presented, mediaAdvanced: last.mediaTime - first.mediaTime, monotonic, mean, sd, white, diff, width: v.videoWidth, height: v.videoHeight };
  });
}

/** Frames advance: several presented frames, each captured after the one before (rates belong in bench/call.ts, not here). */
function expectAdvancing(seen: Awaited<ReturnType<typeof watchRemoteVideo>>) {
  expect(seen.callbacks, 'video frame callbacks within 10 s').toBeGreaterThanOrEqual(4);
  expect(seen.presented, 'frames presented within 10 s').toBeGreaterThanOrEqual(3);
  expect(seen.mediaAdvanced, 'media time advanced').toBeGreaterThan(0.1);
  expect(seen.withRtp, 'every WebRTC frame carries its RTP timestamp (requestVideoFrameCallback metadata)').toBe(true);
  expect(seen.monotonic, `no frame captured before the one shown before it (presented@mediaTime/rtp: ${seen.around})`).toBe(true);
}

// Trace screencasts compete with video rendering on a 2-core machine and starve requestVideoFrameCallback.
test.use({ trace: 'off' });

test.describe('visual call', () => {
  test('customer camera reaches the agent live, audio flows both ways, hang-up ends both sides', async ({ agent, openCustomer }) => {
    const invite = await agent.newInvite();
    expect(invite).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/join\/[A-Za-z0-9_-]{22,}/);
    await expect(agent.page.getByTestId('invite-qr')).toBeVisible();

    const customer = await openCustomer(`${invite}?page=${encodeURIComponent('/billing/october')}&ref=CASE-77`);
    await expect(customer.page.getByTestId('consent')).toBeVisible();
    await customer.startCamera();
    await agent.waitConnected();
    await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');

    // The customer's context packet reached the agent.
    const ctx = agent.page.getByTestId('customer-context');
    await expect(ctx.locator('[data-field="page"] dd')).toHaveText('/billing/october');
    await expect(ctx.locator('[data-field="ref"] dd')).toHaveText('CASE-77');
    await expect(ctx.locator('[data-field="browser"] dd')).toContainText('Chrome');
    await expect(ctx.locator('[data-field="device"] dd')).toHaveText('Computer');

    // Live, moving, non-blank picture of the bill.
    // Full camera resolution arrives (the encoder keeps resolution for text: contentHint 'detail').
    await expect.poll(() => agent.page.getByTestId('remote-video').evaluate((v: HTMLVideoElement) => `${v.videoWidth}x${v.videoHeight}`), { timeout: 20_000 }).toBe('1280x720');
    const seen = await watchRemoteVideo(agent.page);
    expectAdvancing(seen);
    expect(seen.mean, 'not a black frame').toBeGreaterThan(60);
    expect(seen.sd, 'picture has contrast (not a flat/blank frame)').toBeGreaterThan(10);
    expect(seen.white, 'mostly the white bill sheet').toBeGreaterThan(0.2);
    expect(seen.diff, 'later frames differ from the first (the picture moves)').toBeGreaterThan(0.3);

    // Connection figures shown to the agent, from getStats.
    const figs = agent.page.getByTestId('call-figures');
    await expect(figs).toHaveAttribute('data-width', '1280');
    await expect(figs).toHaveAttribute('data-fps', /^[1-9]\d*(\.\d)?$/);
    await expect(figs).toHaveAttribute('data-inbound-kbps', /^[1-9]\d*$/);
    await expect(figs).toHaveAttribute('data-rtt-ms', /^\d+(\.\d)?$/);

    // Audio both ways: received audio bytes keep growing on both sides.
    const agentIn0 = await num(agent.page, 'call-figures', 'data-audio-in-bytes');
    const custIn0 = await num(customer.page, 'customer-status', 'data-audio-in-bytes');
    await expect.poll(() => num(agent.page, 'call-figures', 'data-audio-in-bytes')).toBeGreaterThan(agentIn0 + 2000);
    await expect.poll(() => num(customer.page, 'customer-status', 'data-audio-in-bytes')).toBeGreaterThan(custIn0 + 2000);
    const agentAudio = await agent.page.evaluate(() => (window as unknown as { __agentCall: { pc: RTCPeerConnection } }).__agentCall.pc.getReceivers().filter((r) => r.track.kind === 'audio' && r.track.readyState === 'live').length);
    expect(agentAudio).toBe(1);

    // Hang-up by the agent ends the call on both sides.
    await agent.page.getByTestId('end-call').click();
    await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-phase', 'ended');
    await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-ended-reason', 'agent_hangup');
    await expect(customer.page.getByTestId('ended')).toContainText('The agent ended the call');
    await expect(agent.page.getByTestId('remote-video')).toHaveJSProperty('srcObject', null);
  });

  test('the agent switches microphone mid-call; audio keeps flowing and the choice is remembered', async ({ agent, openCustomer }) => {
    const customer = await openCustomer(await agent.newInvite());
    await customer.startCamera();
    await agent.waitConnected();
    const mics = await agent.page.getByTestId('mic-select').locator('option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent ?? '' })));
    const real = mics.filter((m) => m.value !== '' && m.value !== 'default');
    test.skip(real.length < 1, `Chromium's fake media lists no second microphone here (${JSON.stringify(mics)})`);
    const pick = real[real.length - 1]!;
    const trackBefore = await agent.page.evaluate(() => (window as unknown as { __agentCall: { pc: RTCPeerConnection } }).__agentCall.pc.getSenders().find((s) => s.track?.kind === 'audio')?.track?.id);
    await agent.page.getByTestId('mic-select').selectOption(pick.value);
    await expect.poll(() => agent.page.evaluate(() => (window as unknown as { __agentCall: { pc: RTCPeerConnection } }).__agentCall.pc.getSenders().find((s) => s.track?.kind === 'audio')?.track?.id)).not.toBe(trackBefore);
    const custIn = await num(customer.page, 'customer-status', 'data-audio-in-bytes');
    await expect.poll(() => num(customer.page, 'customer-status', 'data-audio-in-bytes')).toBeGreaterThan(custIn + 2000);
    // Remembered by the main process (through the same contract the UI uses).
    const prefs = await agent.page.evaluate(async () => {
      const k = sessionStorage.getItem('workstation.k');
      const r = await fetch('/api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${k}` }, body: JSON.stringify({ channel: 'audio:getPrefs', input: {} }) });
      return r.json() as Promise<{ ok: boolean; value: { inputId: string | null; inputLabel: string | null } }>;
    });
    expect(prefs.ok).toBe(true);
    expect(prefs.value.inputId).toBe(pick.value);
    expect(prefs.value.inputLabel).toBe(pick.label);
  });

  test('customer hang-up ends the call for the agent too', async ({ agent, openCustomer }) => {
    const customer = await openCustomer(await agent.newInvite());
    await customer.startCamera();
    await agent.waitConnected();
    await customer.page.getByTestId('hang-up').click();
    await expect(customer.page.getByTestId('ended')).toContainText('You ended the call');
    await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-ended-reason', 'customer_hangup');
    await expect(agent.page.getByTestId('new-session')).toBeEnabled();
  });

  test('a used invite is refused with its message, in the customer\'s language', async ({ agent, openCustomer }) => {
    test.setTimeout(150_000); // four pages; each page load is slow on a shared 2-core machine
    const invite = await agent.newInvite();
    const first = await openCustomer(invite);
    await first.startCamera();
    await agent.waitConnected();

    const second = await openCustomer(invite);
    await expect(second.page.getByTestId('invalid-used')).toContainText('This link has already been used');
    await expect(second.page.getByTestId('start-camera')).toHaveCount(0);
    const third = await openCustomer(invite, { locale: 'ja-JP' });
    await expect(third.page.getByTestId('invalid-used')).toContainText('このリンクはすでに使用されています');
    // The first customer's call is untouched.
    expect(await agent.phase()).toBe('connected');
  });

  test('an expired invite and an unknown one are refused with their messages', async ({ callEnv, agent, openCustomer }) => {
    const invite = await agent.newInvite();
    callEnv.clock.advance(16 * 60_000); // default invite lifetime is 15 min
    const late = await openCustomer(invite);
    await expect(late.page.getByTestId('invalid-expired')).toContainText('This link has expired');
    const bogus = await openCustomer(invite.replace(/\/join\/[^/?]+/, '/join/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    await expect(bogus.page.getByTestId('invalid-unknown')).toContainText('This link is not valid');
  });

  test('a reload resumes the same seat without a new invite', async ({ callEnv, agent, openCustomer }) => {
    const customer = await openCustomer(await agent.newInvite());
    await customer.startCamera();
    await agent.waitConnected();
    await customer.page.reload();
    await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected', { timeout: 20_000 });
    await agent.waitConnected();
    const seen = await watchRemoteVideo(agent.page);
    expectAdvancing(seen);
    expect(callEnv.signalingLog.filter((r) => r.ev === 'invite_created')).toHaveLength(1);
    expect(callEnv.signalingLog.filter((r) => r.ev === 'join')).toHaveLength(1);
    expect(callEnv.signalingLog.filter((r) => r.ev === 'resume').length).toBeGreaterThanOrEqual(1);
  });

  test('the offer prepared with the invite carries the call; one that has waited too long is replaced by a fresh peer', async ({ agent, openCustomer }) => {
    type W = { __agentCall: { pc: RTCPeerConnection | null; heldPeerMaxAgeMs: number }; __prepared?: RTCPeerConnection | null };
    const prepared = async () => {
      await agent.page.waitForFunction(() => !!(window as unknown as W).__agentCall.pc?.localDescription);
      await agent.page.evaluate(() => { const w = window as unknown as W; w.__prepared = w.__agentCall.pc; });
    };
    const samePeer = () => agent.page.evaluate(() => { const w = window as unknown as W; return w.__agentCall.pc === w.__prepared; });

    // a customer who comes at once is answered by the peer made with the invite
    let invite = await agent.newInvite();
    await prepared();
    let customer = await openCustomer(invite);
    await customer.startCamera();
    await agent.waitConnected();
    expect(await samePeer()).toBe(true);
    await agent.page.getByTestId('end-call').click();
    await expect(customer.page.getByTestId('ended')).toBeVisible();

    // one who comes after the prepared peer's time gets a fresh one, and the call still connects
    invite = await agent.newInvite();
    await prepared();
    await agent.page.evaluate(() => { (window as unknown as W).__agentCall.heldPeerMaxAgeMs = 0; });
    customer = await openCustomer(invite);
    await customer.startCamera();
    await agent.waitConnected();
    expect(await samePeer()).toBe(false);
    expectAdvancing(await watchRemoteVideo(agent.page));
  });

  test('a customer peer that gathers no ICE candidate is replaced at once, not after the agent\'s watchdogs', async ({ agent, openCustomer }) => {
    const customer = await openCustomer(await agent.newInvite());
    // Chromium now and then leaves a fresh peer without a single candidate (see customer-call.ts,
    // armGatherWatchdog). Reproduce it for the page's first peer: relay only, with no TURN server.
    await customer.context.addInitScript(() => {
      const Native = window.RTCPeerConnection;
      let made = 0;
      window.RTCPeerConnection = class extends Native {
        constructor(cfg?: RTCConfiguration) { super(made++ === 0 ? { ...cfg, iceServers: [], iceTransportPolicy: 'relay' } : cfg); }
      } as typeof RTCPeerConnection;
    });
    await customer.page.reload();
    const logs: string[] = [];
    customer.page.on('console', (m) => logs.push(m.text()));
    const t0 = Date.now();
    await customer.startCamera();
    await agent.waitConnected();
    // the agent's own watchdogs would have taken 12 s or more (ICE restart at 6 s, new peer at 12 s)
    expect(Date.now() - t0).toBeLessThan(9000);
    expect(logs.some((l) => l.includes('no ICE candidates gathered'))).toBe(true);
    expectAdvancing(await watchRemoteVideo(agent.page));
  });

  test('a caller without the link types the short code the agent reads out, and the call connects', async ({ agent, openCustomer }) => {
    const invite = await agent.newInvite();
    const shown = agent.page.getByTestId('invite-code');
    await expect(shown).toContainText(`${new URL(invite).origin}/code`);
    const code = (await shown.getAttribute('data-code')) ?? '';
    expect(code).toMatch(/^\d{8,}$/);
    // What the agent reads out is grouped; the caller types it as heard, spaces and all.
    const spoken = (await shown.locator('strong').textContent()) ?? '';
    expect(spoken.replace(/\s/g, '')).toBe(code);
    expect(spoken).toContain(' ');

    const customer = await openCustomer(`${new URL(invite).origin}/code`);
    await customer.page.locator('#code').fill(spoken);
    await customer.page.getByRole('button', { name: 'Join' }).click();
    await expect(customer.page).toHaveURL(/\/join\//);
    await customer.startCamera();
    await agent.waitConnected();
    // The code is single use: a second caller typing it is refused.
    const other = await openCustomer(`${new URL(invite).origin}/code`);
    await other.page.locator('#code').fill(code);
    await other.page.getByRole('button', { name: 'Join' }).click();
    await expect(other.page.locator('[role=alert]')).toBeVisible();
    expect(await agent.phase()).toBe('connected');
  });
});

test.describe('signaling drop', () => {
  // Each welcome mints the member's own TURN REST credential. No TURN server listens there: the
  // call connects on host candidates; what matters is the credential the live peer holds.
  test.use({ callEnvOptions: { signaling: { ice: { stunUrls: [], turn: { urls: ['turn:127.0.0.1:9?transport=udp'], secret: 'e2e-turn-secret', ttlSec: 3600 } } } } });

  /** The expiry (unix seconds) in the TURN username the agent's live RTCPeerConnection is configured with. */
  const turnExpiry = (page: Page) => page.evaluate(() => {
    const pc = (window as unknown as { __agentCall: { pc: RTCPeerConnection | null } }).__agentCall.pc;
    const user = pc?.getConfiguration().iceServers?.find((s) => s.username)?.username ?? '';
    return Number(user.split(':')[0]);
  });

  test('the workstation\'s signaling socket drops mid-call: it reconnects, the media never stops, hang-up still works', async ({ callEnv, agent, openCustomer }) => {
    const customer = await openCustomer(await agent.newInvite());
    await customer.startCamera();
    await agent.waitConnected();
    const pc0 = await agent.page.evaluate(() => { const w = window as unknown as { __agentCall: { pc: RTCPeerConnection | null } }; (w as unknown as { __pc0: unknown }).__pc0 = w.__agentCall.pc; return !!w.__agentCall.pc; });
    expect(pc0).toBe(true);
    const frames0 = await num(agent.page, 'call-figures', 'data-frames-decoded');
    const expiry0 = await turnExpiry(agent.page);
    expect(expiry0).toBeGreaterThan(Date.now() / 1000);
    await agent.page.waitForTimeout(1100); // the next welcome's credential expires at least a second later
    await agent.page.evaluate(() => (window as unknown as { __agentCall: { sig: { socket: WebSocket } } }).__agentCall.sig.socket.close());
    await expect.poll(() => callEnv.signalingLog.filter((r) => r.ev === 'agent_auth').length, { timeout: 15_000 }).toBe(2);
    await expect.poll(() => num(agent.page, 'call-figures', 'data-frames-decoded'), { timeout: 15_000 }).toBeGreaterThan(frames0 + 30);
    expect(await agent.phase()).toBe('connected');
    // the same RTCPeerConnection: the call was not set up again
    expect(await agent.page.evaluate(() => { const w = window as unknown as { __agentCall: { pc: unknown }; __pc0: unknown }; return w.__agentCall.pc === w.__pc0; })).toBe(true);
    // ...which now holds the TURN credential of the new welcome, not the first one (TURN REST
    // credentials expire: an ICE restart later in a long call must not use stale ones)
    expect(await turnExpiry(agent.page)).toBeGreaterThan(expiry0);
    await customer.page.getByTestId('hang-up').click();
    await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-ended-reason', 'customer_hangup');
  });
});

test.describe('network loss', () => {
  test.skip(!hasCoturn(), 'coturn (/usr/bin/turnserver) is not installed: apt-get install -y coturn');

  test('media over TURN survives the relay dying and the customer socket dropping: ICE restart, same invite', async ({ billBrowser }) => {
    test.setTimeout(120_000);
    const turn = await startCoturn();
    const env = await startCallEnv({ signaling: { iceServers: turn.iceServers() } });
    pageLogs.length = 0;
    try {
      const agent = await openAgentPage(billBrowser, env, { relayOnly: true });
      const customer = await openCustomerPage(billBrowser, await agent.newInvite(), { relayOnly: true });
      await customer.startCamera();
      await agent.waitConnected();
      await expect(agent.page.getByTestId('call-figures')).toHaveAttribute('data-path', 'relay');
      const framesBefore = await num(agent.page, 'call-figures', 'data-frames-decoded');

      // The network goes: the relay dies and the customer's signaling socket drops.
      await turn.stop();
      await customer.context.setOffline(true);
      await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-phase', 'reconnecting', { timeout: 30_000 });

      // The network comes back.
      await turn.start();
      await customer.context.setOffline(false);
      await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-phase', 'connected', { timeout: 45_000 });
      await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
      await expect.poll(() => num(agent.page, 'call-figures', 'data-frames-decoded'), { timeout: 15_000 }).toBeGreaterThan(framesBefore + 30);
      const seen = await watchRemoteVideo(agent.page);
      expectAdvancing(seen);
      await expect(agent.page.getByTestId('call-figures')).toHaveAttribute('data-path', 'relay');
      expect(Number(await agent.page.getByTestId('call-figures').getAttribute('data-recoveries'))).toBeGreaterThanOrEqual(1);
      // Recovered on the same invite and the same seat.
      expect(env.signalingLog.filter((r) => r.ev === 'invite_created')).toHaveLength(1);
      expect(env.signalingLog.filter((r) => r.ev === 'join')).toHaveLength(1);
      await agent.context.close();
      await customer.close();
    } catch (err) {
      console.log(`--- page console ---\n${pageLogs.slice(-80).join('\n')}`);
      console.log(`--- signaling ---\n${env.signalingLog.slice(-60).map((r) => JSON.stringify(r)).join('\n')}`);
      throw err;
    } finally {
      await env.close();
      await turn.stop();
    }
  });
});
