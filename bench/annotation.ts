/**
 * npm run bench -- annotation
 *
 * 1. Latency from the agent's pointer event to the shape drawn on the customer
 *    page: the real workstation and customer pages (web host + signaling
 *    in-process, Debian Chromium, fake camera), >= 200 arrows drawn with real
 *    mouse events. Start = the creating pointermove's event.timeStamp on the
 *    agent page; end = the Konva layer 'draw' event on the customer page that
 *    first painted that shape. Both pages run in one browser on one machine,
 *    so performance.timeOrigin + now() is one clock.
 *    Baseline, same run, same two pages: a raw RTCDataChannel (its own
 *    RTCPeerConnection pair) echoing a payload of the same size; one-way =
 *    round trip / 2.
 * 2. Frames per second with 500 shapes on the agent stage while one shape is
 *    dragged every frame (each frame redraws all 500), vs a bare Konva stage
 *    with 500 plain shapes moved the same way.
 */
import { chromium, type Page } from 'playwright-core';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { makeFakeCamera } from '../scripts/make-fake-camera';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/e2e/support/chromium';
import { ROOT, startCallEnv } from '../tests/e2e/support/call-env';
import { median, p95, p99, percentiles, report, round } from './lib';
import type {} from '../src-renderer/annotation/globals';

const STROKES = Number(process.env.ANNOTATION_STROKES ?? 240);
const SHAPES = 500;
const FPS_SECONDS = 4;

/** Function predicates only: the pages' CSP forbids evaluating strings. */
async function waitFor<A>(page: Page, fn: (arg: A) => unknown, arg: A, timeout = 30_000) {
  await page.waitForFunction(fn as (arg: unknown) => unknown, arg as unknown, { timeout });
}

async function main() {
  const y4m = await makeFakeCamera();
  const env = await startCallEnv();
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${y4m}`] });
  try {
    const agentCtx = await browser.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 1280, height: 800 } });
    // tsx (esbuild keepNames) wraps named closures in __name(); give evaluated callbacks that helper.
    const keepNames = { content: 'globalThis.__name = globalThis.__name || ((f) => f);' };
    await agentCtx.addInitScript(keepNames);
    const agent = await agentCtx.newPage();
    await agent.goto(env.workstationUrl);
    await agent.getByTestId('new-session').click();
    await waitFor(agent, () => (document.querySelector<HTMLInputElement>('[data-testid="invite-url"]')?.value ?? '').includes('/join/'), null);
    const invite = await agent.getByTestId('invite-url').inputValue();
    const custCtx = await browser.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 390, height: 844 } });
    await custCtx.addInitScript(keepNames);
    const customer = await custCtx.newPage();
    await customer.goto(invite);
    await customer.getByTestId('start-camera').click();
    await waitFor(agent, () => document.querySelector<HTMLElement>('[data-testid="agent-status"]')?.dataset.phase === 'connected' && (document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]')?.videoWidth ?? 0) > 0, null, 60_000);
    await waitFor(customer, () => window.__annotationCustomer?.sync?.open === true && document.querySelector<HTMLElement>('[data-testid="customer-annotation"]')?.dataset.synced === 'yes', null);
    await waitFor(agent, () => !!window.__annotationAgent?.scene, null);

    // ---- 1. pointer -> customer draw latency ------------------------------------
    const box = await agent.getByTestId('remote-video').evaluate((el) => {
      const v = el as HTMLVideoElement; const r = v.getBoundingClientRect();
      const s = Math.min(r.width / v.videoWidth, r.height / v.videoHeight);
      return { x: r.left + (r.width - v.videoWidth * s) / 2, y: r.top + (r.height - v.videoHeight * s) / 2, w: v.videoWidth * s, h: v.videoHeight * s };
    });
    const at = (nx: number, ny: number) => ({ x: box.x + nx * box.w, y: box.y + ny * box.h });
    await agent.keyboard.press('a');
    for (let i = 0; i < STROKES; i++) {
      const k = (i % 20) / 20, row = Math.floor(i / 20) % 10;
      const a = at(0.1 + k * 0.8, 0.2 + row * 0.07), b = at(0.12 + k * 0.8, 0.25 + row * 0.07);
      await agent.mouse.move(a.x, a.y);
      await agent.mouse.down();
      await agent.mouse.move(b.x, b.y, { steps: 2 });
      await agent.mouse.up();
      await agent.waitForTimeout(15);
    }
    await waitFor(customer, (n) => window.__annotationCustomer!.probe.firstDrawn.size >= n, STROKES);
    const created: Array<[string, number]> = await agent.evaluate(() => [...window.__annotationAgent!.probe.created.entries()]);
    const drawn = new Map<string, number>(await customer.evaluate(() => [...window.__annotationCustomer!.probe.firstDrawn.entries()]));
    const lat = created.map(([id, t0]) => (drawn.get(id) ?? NaN) - t0).filter((x) => Number.isFinite(x));
    const opBytes = await agent.evaluate(() => JSON.stringify({ ns: 'annotation', v: 1, msg: { t: 'ops', ops: [{ op: 'add', shape: window.__annotationAgent!.doc.shapes()[0] }] } }).length);

    // Baseline: raw RTCDataChannel echo between the same two pages, same payload size.
    const offer = await agent.evaluate(async () => {
      const pc = new RTCPeerConnection();
      const ch = pc.createDataChannel('raw', { ordered: true });
      (window as any).__raw = { pc, ch };
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise<void>((r) => { if (pc.iceGatheringState === 'complete') r(); else pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') r(); }; });
      return pc.localDescription!.toJSON();
    });
    const answer = await customer.evaluate(async (o) => {
      const pc = new RTCPeerConnection();
      pc.ondatachannel = (e) => { const ch = e.channel; ch.onmessage = (m) => ch.send(m.data); };
      await pc.setRemoteDescription(o);
      await pc.setLocalDescription(await pc.createAnswer());
      await new Promise<void>((r) => { if (pc.iceGatheringState === 'complete') r(); else pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') r(); }; });
      (window as any).__raw = pc;
      return pc.localDescription!.toJSON();
    }, offer);
    const rtts: number[] = await agent.evaluate(async ({ a, n, size }) => {
      const { pc, ch } = (window as any).__raw as { pc: RTCPeerConnection; ch: RTCDataChannel };
      await pc.setRemoteDescription(a);
      if (ch.readyState !== 'open') await new Promise((r) => { ch.onopen = r; });
      const payload = 'x'.repeat(size);
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await new Promise<void>((r) => { ch.onmessage = () => r(); ch.send(payload); });
        out.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 15));
      }
      return out;
    }, { a: answer, n: STROKES, size: opBytes });
    const oneWay = rtts.map((r) => r / 2);
    console.log(`latency: ours p50 ${round(median(lat))} p95 ${round(p95(lat))} ms (n=${lat.length}); raw channel one-way p50 ${round(median(oneWay))} p95 ${round(p95(oneWay))} ms`);

    // ---- 2. fps with 500 shapes ---------------------------------------------------
    await agent.keyboard.press('Shift+Delete');
    await agent.evaluate((n) => {
      const a = window.__annotationAgent!;
      const style = { color: '#ff3b30', width: 0.008 };
      const ops = [];
      for (let i = 0; i < n; i++) {
        const x = (i % 25) / 25 + 0.005, y = Math.floor(i / 25) / 20 + 0.005;
        const kind = i % 4;
        const c = kind === 0 ? { kind: 'arrow' as const, x1: x, y1: y, x2: x + 0.03, y2: y + 0.04, style }
          : kind === 1 ? { kind: 'ellipse' as const, x, y, w: 0.03, h: 0.04, style }
          : kind === 2 ? { kind: 'rect' as const, x, y, w: 0.03, h: 0.04, style }
          : { kind: 'pen' as const, points: [x, y, x + 0.01, y + 0.02, x + 0.02, y + 0.01, x + 0.03, y + 0.04], style };
        ops.push(a.doc.create(c));
      }
      a.sync!.sendOps(ops);
    }, SHAPES);
    await waitFor(customer, (n) => window.__annotationCustomer!.doc.size === n, SHAPES);
    /** Drag one shape every frame for FPS_SECONDS (through the real op path), counting frames. */
    const ours = await agent.evaluate(async (secs) => {
      const a = window.__annotationAgent!;
      const id = a.doc.shapes()[a.doc.shapes().length - 1]!.id;
      const base = a.doc.contentOf(id)! as { kind: 'rect'; x: number; y: number; w: number; h: number; style: { color: string; width: number }; z: number } | any;
      const frames: number[] = [];
      let last = performance.now();
      const t0 = last;
      await new Promise<void>((done) => {
        const tick = (now: number) => {
          frames.push(now - last); last = now;
          const k = ((now - t0) / 1000) % 1;
          a.sync!.sendOps([a.doc.put(id, { ...base, x: 0.5 + 0.3 * Math.sin(k * 6.283), y: 0.5 } as never)]);
          if (now - t0 < secs * 1000) requestAnimationFrame(tick); else done();
        };
        requestAnimationFrame(tick);
      });
      return { frames: frames.slice(1), seconds: (last - t0) / 1000 };
    }, FPS_SECONDS);

    // Baseline: a bare Konva stage (same size) with 500 plain shapes, one moved per frame.
    const bare = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await bare.setContent('<!doctype html><body style="margin:0"><div id="c"></div></body>');
    await bare.addScriptTag(keepNames);
    await bare.addScriptTag({ path: join(ROOT, 'node_modules/konva/konva.min.js') });
    const stageSize = await agent.getByTestId('annotation-stage').evaluate((el) => ({ w: el.clientWidth, h: el.clientHeight }));
    const baseline = await bare.evaluate(async ({ n, secs, w, h }) => {
      const K = (window as any).Konva;
      const stage = new K.Stage({ container: 'c', width: w, height: h });
      const layer = new K.Layer();
      stage.add(layer);
      const nodes: any[] = [];
      for (let i = 0; i < n; i++) {
        const x = ((i % 25) / 25) * w, y = (Math.floor(i / 25) / 20) * h, kind = i % 4;
        const common = { stroke: '#ff3b30', strokeWidth: 4, perfectDrawEnabled: false };
        nodes.push(kind === 0 ? new K.Arrow({ ...common, fill: '#ff3b30', points: [x, y, x + 38, y + 30] })
          : kind === 1 ? new K.Ellipse({ ...common, x: x + 19, y: y + 15, radiusX: 19, radiusY: 15 })
          : kind === 2 ? new K.Rect({ ...common, x, y, width: 38, height: 30 })
          : new K.Line({ ...common, points: [x, y, x + 12, y + 15, x + 25, y + 8, x + 38, y + 30], tension: 0.4 }));
        layer.add(nodes[i]);
      }
      layer.draw();
      const frames: number[] = [];
      let last = performance.now();
      const t0 = last;
      await new Promise<void>((done) => {
        const tick = (now: number) => {
          frames.push(now - last); last = now;
          nodes[n - 1].x(w / 2 + 0.3 * w * Math.sin(((now - t0) / 1000) * 6.283));
          layer.batchDraw();
          if (now - t0 < secs * 1000) requestAnimationFrame(tick); else done();
        };
        requestAnimationFrame(tick);
      });
      return { frames: frames.slice(1), seconds: (last - t0) / 1000 };
    }, { n: SHAPES, secs: FPS_SECONDS, w: stageSize.w, h: stageSize.h });

    const fps = (r: { frames: number[]; seconds: number }) => r.frames.length / r.seconds;
    const side = (latency: number[], frames: { frames: number[]; seconds: number }) => ({
      strokes: latency.length,
      ...percentiles('pointer_to_customer_draw', latency, [50, 95, 99], 3),
      op_message_bytes: opBytes,
      fps_500_shapes_agent: round(fps(frames), 1),
      frame_ms_p95_500_shapes: round(p95(frames.frames)),
    });
    report({
      name: 'annotation',
      metrics: side(lat, ours),
      baseline: side(oneWay, baseline),
      notes: {
        baseline_latency: 'raw RTCDataChannel echo between the same two pages, same payload size, one-way = RTT/2',
        baseline_fps: 'bare Konva stage, 500 plain shapes, one moved per frame + batchDraw',
        ours_fps: '500 model shapes on the agent stage, one dragged per frame through doc.put + data channel send + scene reconcile',
        machine: { cpus: cpus().length, loadavg: loadavg().map((x) => round(x, 2)) },
        chromium: browser.version(),
      },
    }, [
      { metric: `pointer -> customer draw p50 (n=${lat.length})`, ours: round(median(lat)), baseline: round(median(oneWay)), unit: 'ms' },
      { metric: 'pointer -> customer draw p95', ours: round(p95(lat)), baseline: round(p95(oneWay)), unit: 'ms' },
      { metric: 'pointer -> customer draw p99', ours: round(p99(lat)), baseline: round(p99(oneWay)), unit: 'ms' },
      { metric: `fps, ${SHAPES} shapes, one dragged/frame`, ours: round(fps(ours), 1), baseline: round(fps(baseline), 1), unit: 'fps' },
      { metric: 'frame time p95', ours: round(p95(ours.frames)), baseline: round(p95(baseline.frames)), unit: 'ms' },
    ]);
  } finally {
    await browser.close();
    await env.close();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
