/**
 * In-page harness for launch-sender.test.ts (bundled by esbuild, run in Chromium): the
 * customer's quality ladder (CustomerQuality) on real RTCPeerConnection pairs fed by a
 * 1280x720 canvas at 30 fps, as the camera would be, with the start bitrate the call uses.
 * The ladder's stats ticks are synthetic (what the estimate says is the test's choice);
 * what the encoder sends is read from the real sender's stats.
 */
import { CustomerQuality, type SideSender } from '../../../../src-renderer/call/quality/customer-quality';
import { createMessenger } from '../../../../src-renderer/call/peer/data-channel';
import { withStartBitrate } from '../../../../src-renderer/call/peer/start-bitrate';
import type { StatsSnapshot } from '../../../../src-renderer/call/peer/stats';

function until(cond: () => Promise<boolean> | boolean, what: string, ms = 20_000): Promise<void> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const tick = async () => {
      if (await cond()) res();
      else if (performance.now() - t0 > ms) rej(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 20);
    };
    void tick();
  });
}

function camera(): MediaStreamTrack {
  const c = document.createElement('canvas');
  c.width = 1280; c.height = 720;
  const g = c.getContext('2d')!;
  let n = 0;
  setInterval(() => {
    n++;
    g.fillStyle = '#fff'; g.fillRect(0, 0, 1280, 720);
    g.fillStyle = '#123'; for (let i = 0; i < 40; i++) g.fillRect((i * 37 + n * 3) % 1280, (i * 53) % 720, 90, 14);
  }, 33);
  return c.captureStream(30).getVideoTracks()[0]!;
}

/** A sending pc (the customer's) and a receiving one, connected, the track on the sender. */
async function pair(track: MediaStreamTrack, beforeConnect: () => Promise<void>): Promise<{ a: RTCPeerConnection; b: RTCPeerConnection }> {
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  a.onicecandidate = (e) => { if (e.candidate) void b.addIceCandidate(e.candidate); };
  b.onicecandidate = (e) => { if (e.candidate) void a.addIceCandidate(e.candidate); };
  a.addTrack(track, new MediaStream([track]));
  const offer = await a.createOffer();
  const o = { type: offer.type, sdp: withStartBitrate(offer.sdp!) };
  await a.setLocalDescription(o);
  await beforeConnect();
  await b.setRemoteDescription(o);
  const answer = await b.createAnswer();
  const an = { type: answer.type, sdp: withStartBitrate(answer.sdp!) };
  await b.setLocalDescription(an);
  await a.setRemoteDescription(an);
  return { a, b };
}

async function sentWidth(pc: RTCPeerConnection): Promise<number> {
  let w = 0;
  (await pc.getStats()).forEach((r) => { if (r.type === 'outbound-rtp' && r.kind === 'video' && r.framesEncoded > 0) w = r.frameWidth ?? 0; });
  return w;
}

function tick(at: number, kbps: number): StatsSnapshot {
  return { at, entries: [
    { id: 'T', type: 'transport', timestamp: at, selectedCandidatePairId: 'P' },
    { id: 'P', type: 'candidate-pair', timestamp: at, availableOutgoingBitrate: kbps * 1000 },
  ] };
}

/**
 * The main link (and, with `side`, a second agent's link beside it) from the first frame,
 * then two ladder ticks one second apart with the estimate at `kbps`.
 */
async function launch(arg: { kbps: number; side?: SideSender['role'] }): Promise<Record<string, unknown>> {
  const sides: SideSender[] = [];
  let main: RTCPeerConnection | null = null;
  const q = new CustomerQuality(createMessenger(), () => main, performance.now(), () => sides);
  const m = await pair(camera(), async () => { main = null; });
  main = m.a;
  await q.applyNow();
  let s: { a: RTCPeerConnection; b: RTCPeerConnection } | null = null;
  if (arg.side) {
    s = await pair(camera(), async () => {});
    sides.push({ pc: s.a, role: arg.side });
    await q.applyNow();
  }
  await until(async () => (await sentWidth(m.a)) > 0 && (!s || (await sentWidth(s.a)) > 0), 'first frames');
  const first = await sentWidth(m.a);
  const sideFirst = s ? await sentWidth(s.a) : null;
  await until(() => m.a.connectionState === 'connected' && (!s || s.a.connectionState === 'connected'), 'connected');
  const t0 = performance.now();
  q.onStats(null, tick(t0, arg.kbps), 'connected');
  q.onStats(tick(t0, arg.kbps), tick(t0 + 1000, arg.kbps), 'connected');
  // what the encoders send a moment later (a lifted cap is 1280 wide within a few frames)
  let after = first;
  let sideAfter = sideFirst;
  try {
    await until(async () => { after = await sentWidth(m.a); if (s) sideAfter = await sentWidth(s.a); return after === 1280; }, 'the lifted cap', 3000);
  } catch { /* kept capped: reported as it is */ }
  for (const pc of [m.a, m.b, s?.a, s?.b]) pc?.close();
  q.close();
  return { first, after, sideFirst, sideAfter };
}

(window as unknown as { scenarios: unknown }).scenarios = { launch };
