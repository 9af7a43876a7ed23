/**
 * The agent's "take a still" against a device whose answer is slow: a weak link can hold the
 * data channel for longer than the answer wait. The request must stay open and the device's
 * full-resolution still must land when it comes, not be given up for a frame grab.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMessenger, type Messenger } from '../../../src-renderer/call/peer/data-channel';
import { AgentStills } from '../../../src-renderer/stills/agent-stills';
import { STILLS_NS, type StillMsg } from '../../../src-renderer/stills/protocol';
import { stillSender, stillsHub } from '../../../src-renderer/stills/wire';

/** Agent and device messengers; the device's outgoing messages are held back while `hold` is set. */
function pair() {
  const agent = createMessenger(), device = createMessenger();
  const held: Array<string | Uint8Array> = [];
  let hold = false;
  agent.attach({ send: (d) => { const c = typeof d === 'string' ? d : d.slice(); setTimeout(() => device.receive(c), 5); return true; }, bufferedAmount: () => 0 });
  device.attach({ send: (d) => { const c = typeof d === 'string' ? d : d.slice(); if (hold) held.push(c); else setTimeout(() => agent.receive(c), 5); return true; }, bufferedAmount: () => 0 });
  return {
    agent, device,
    stall: () => { hold = true; },
    release: () => { hold = false; for (const c of held.splice(0)) setTimeout(() => agent.receive(c), 5); },
  };
}

/** A device that answers every request with `accepted` and then sends `bytes` as the camera still. */
function answeringDevice(m: Messenger, bytes: Uint8Array, opts: { decline?: boolean } = {}) {
  const sender = stillSender(m);
  stillsHub(m).msg.add((msg: StillMsg) => {
    if (msg.kind !== 'request') return;
    if (opts.decline) { m.send(STILLS_NS, { kind: 'declined', requestId: msg.requestId, reason: 'no_camera' }); return; }
    m.send(STILLS_NS, { kind: 'accepted', requestId: msg.requestId });
    void sender.send(bytes, { mime: 'image/jpeg', width: 1920, height: 1080, source: 'camera', requestId: msg.requestId });
  });
}

/**
 * The still's sha256 is checked with WebCrypto, which runs in real time, not on the fake clock.
 * So the wait for the still yields real time between small fake steps; it never rushes the fake
 * clock past the capture wait while a hash is still being worked out.
 */
const realSetTimeout = globalThis.setTimeout;
async function settle(done: () => boolean, fakeBudgetMs: number): Promise<void> {
  for (let spent = 0; !done() && spent < fakeBudgetMs; spent += 10) {
    await vi.advanceTimersByTimeAsync(10);
    await new Promise<void>((r) => realSetTimeout(r, 2));
  }
}

describe("the agent's still request on a slow link", () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('a device answer held for 20 s still brings the full-resolution still, and the request resolves camera', async () => {
    const p = pair();
    const stills = new AgentStills(p.agent);
    answeringDevice(p.device, new Uint8Array(50_000).map((_, i) => i & 0xff));
    p.stall();
    const done = stills.request(null);
    await vi.advanceTimersByTimeAsync(6_500);
    // Past the answer wait: still asking (with no video to grab, there is no preview), not failed.
    expect(stills.store.get()).toMatchObject({ requesting: true, error: null });
    await vi.advanceTimersByTimeAsync(13_500);
    p.release();
    let how: string | null = null;
    void done.then((h) => { how = h; });
    await settle(() => how !== null, 10_000);
    expect(how).toBe('camera');
    expect(stills.map.all().map((s) => s.source)).toEqual(['camera']);
    expect(stills.store.get()).toMatchObject({ requesting: false, previewing: false, error: null });
    stills.close();
  });

  it('a device that never answers: the request gives up after the late wait with no_still (no video to stand in)', async () => {
    const p = pair();
    const stills = new AgentStills(p.agent);
    p.stall();
    const done = stills.request(null);
    await vi.advanceTimersByTimeAsync(44_000);
    expect(stills.store.get().requesting).toBe(true);
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(done).resolves.toBe('failed');
    expect(stills.store.get()).toMatchObject({ requesting: false, error: 'no_still' });
    stills.close();
  });

  it('a device that declines ends the request at once', async () => {
    const p = pair();
    const stills = new AgentStills(p.agent);
    answeringDevice(p.device, new Uint8Array(10), { decline: true });
    const done = stills.request(null);
    await vi.advanceTimersByTimeAsync(100);
    await expect(done).resolves.toBe('failed');
    stills.close();
  });
});
