/**
 * npm run bench -- call [--calls=N] [--compare=DIR] [--devices=split|shared]
 *
 * Time from the customer opening the invite link to the agent's first
 * rendered frame (requestVideoFrameCallback on the agent's <video>), over
 * N calls (default 12, first one is a warm-up and not counted), with a
 * breakdown, against a baseline in the same browser: one page with two bare
 * RTCPeerConnections doing the same handshake (getUserMedia, offer/answer,
 * trickle ICE in memory, first frame) with no page load and no signaling.
 *
 * Real parts: the signaling server and the web-hosted workstation
 * in-process on 127.0.0.1, Debian Chromium with the fake bill camera.
 * In-page code is passed as strings (tsx would inject helpers that do not
 * exist in the page).
 *
 * The customer's link is opened two ways, interleaved call by call (bench/open-tab.ts): 'direct',
 * a tab opened at the URL as a phone's OS opens a tapped link (the main figures), and 'goto',
 * Playwright's about:blank tab then page.goto, as before (the `goto_*` figures), so a change of
 * way cannot pass for a change of the page.
 *
 * --devices=split (default): the customer's browser on one CPU, the agent's browser, the servers
 * and the bench on the others, as a phone and a desktop are two devices; --devices=shared: all on
 * all, as before (bench/devices.ts).
 *
 * --compare=DIR: another checkout of this repository (built, with its
 * node_modules), e.g. a `git worktree` of the commit before a change. Its
 * servers and pages run next to ours in the same browser, calls alternate
 * between the two (who goes first alternating too), and a second table gives
 * both medians. This machine's speed drifts by 20 % from minute to minute, so
 * runs one after the other cannot show a 5 % change; interleaved calls can.
 */
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { makeFakeCamera } from '../scripts/make-fake-camera';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/e2e/support/chromium';
import { join, resolve } from 'node:path';
import { chromiumOn, cpuPlan, devicesArg, pinSelf } from './devices';
import { startCallEnv, type CallEnv } from '../tests/e2e/support/call-env';
import { median, p95, report, round } from './lib';
import { openTab, poll, type OpenWay } from './open-tab';

const arg = (name: string, def: number) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
};
const CALLS = Math.max(10, arg('calls', 12));
const COMPARE = process.argv.find((x) => x.startsWith('--compare='))?.slice('--compare='.length) ?? null;

type Sample = Record<string, number>;

async function waitFor(page: Page, expr: string, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(expr, undefined, { timeout: timeoutMs, polling: 10 });
}

/** Arm a first-frame watcher on the agent's video: resolves window.__ff with the epoch ms of the first presented frame. */
const ARM_FIRST_FRAME = `(() => {
  window.__ff = 0;
  const arm = () => {
    const v = document.querySelector('[data-testid="remote-video"]');
    if (!v) { setTimeout(arm, 5); return; }
    v.requestVideoFrameCallback(() => { window.__ff = performance.timeOrigin + performance.now(); });
  };
  arm();
})()`;

/**
 * In the customer's page before its own scripts (an init script, which CSP does not govern): when the
 * Start press actually lands. The page's `start` mark is set when its code acts on the press: later
 * than the press when the code arrived after it (the server's inline script kept the press).
 */
const PRESS_WATCH = `document.addEventListener('click', (e) => {
  if (!window.__benchPressAt && e.target && e.target.closest && e.target.closest('[data-start]')) window.__benchPressAt = performance.now();
}, true);`;

/** The Start button's centre once the first contentful paint has happened and the button has a box, else null. */
const START_BUTTON_ONCE_PAINTED = `(() => {
  if (!performance.getEntriesByName('first-contentful-paint').length) return null;
  const b = document.querySelector('[data-testid="start-camera"]');
  const r = b && b.getBoundingClientRect();
  return r && r.width > 0 && r.height > 0 ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
})()`;

async function pollValue<T>(page: Page, expr: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await page.evaluate(expr) as T | null;
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((ok) => setTimeout(ok, 5));
  }
}

async function oneCall(browser: Browser, cdp: CDPSession, agent: Page, way: OpenWay): Promise<Sample> {
  await agent.evaluate('window.__agentCall.newSession()');
  await waitFor(agent, `!!document.querySelector('[data-testid="invite-url"]')?.value`);
  const url = await agent.locator('[data-testid="invite-url"]').inputValue();
  await agent.evaluate(ARM_FIRST_FRAME);

  const { ctx, page, asked: opened } = await openTab(browser, cdp, way, url, { permissions: ['camera', 'microphone'], bypassCSP: true }, PRESS_WATCH);
  // The customer presses Start as soon as the consent step shows: a real press (Input.dispatchMouseEvent,
  // hit-tested by the browser like a finger) at the button once the page has painted it. Playwright's
  // locator.click() first checks in an injected script that the button is visible, stable over two
  // frames and hit: on a fresh renderer that put the press 0.7–1 s after the paint (pressAfterPaint).
  const startXY = await pollValue<{ x: number; y: number }>(page, START_BUTTON_ONCE_PAINTED);
  await page.mouse.click(startXY.x, startXY.y);
  await waitFor(agent, 'window.__ff > 0');
  const customer = await page.evaluate(`(() => {
    const c = window.__customerCall; const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    // The scripts the page needed to start (the overlays' chunk loads later, after the call connects).
    const js = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js') && r.responseEnd <= (c.marks.init || Infinity));
    return { origin: performance.timeOrigin, marks: c.marks, dcl: nav ? nav.domContentLoadedEventEnd : 0, htmlEnd: nav ? nav.responseEnd : NaN,
      fcp: fcp ? fcp.startTime : NaN,
      jsBytes: js.reduce((a, r) => a + (r.decodedBodySize || 0), 0),
      jsArrived: js.reduce((a, r) => Math.max(a, r.responseEnd), 0),
      // The page's entry lets its code run only after the first paint (src-renderer/customer/main.ts).
      bootAt: window.__vaBootAt || 0, pressAt: window.__benchPressAt || NaN };
  })()`) as { origin: number; marks: Record<string, number>; dcl: number; fcp: number; jsBytes: number; jsArrived: number; bootAt: number; htmlEnd: number; pressAt: number };
  const agentMarks = await agent.evaluate('({ ...window.__agentCall.marks, ff: window.__ff })') as Record<string, number>;
  await agent.evaluate('window.__agentCall.hangUp()');
  await ctx.close();

  const m = customer.marks;
  const at = (k: string) => (m[k] ?? NaN); // ms since the customer's navigation start
  const ag = (k: string) => (agentMarks[k] ?? NaN) - customer.origin; // agent epoch -> customer timeline
  const firstFrame = ag('ff');
  return {
    total: firstFrame,
    // Wall clock from the bench's own createTarget (or goto) call (includes Playwright's IPC), for a sanity check.
    totalWall: agentMarks.ff! - opened,
    pageLoad: at('init'),
    // The served page's last byte (the part of consentShown the server and the network take)...
    htmlArrived: customer.htmlEnd,
    // First paint: the server's plain-HTML consent step (before any script runs).
    consentShown: customer.fcp,
    // The Start press as it landed in the page (ms since navigation start), and after the first paint.
    startPressed: customer.pressAt,
    pressAfterPaint: customer.pressAt - customer.fcp,
    // The press -> the page's code acting on it (its `start` mark): > 0 when the press came before the code and was kept by the server's inline script.
    startActed: at('start') - customer.pressAt,
    // The customer page's JavaScript (decoded bytes)...
    scriptKB: customer.jsBytes / 1024,
    // ...from its last byte, or from when the entry let it run after the first paint if that was later, to the page's code running.
    scriptEvaluate: at('init') - Math.max(customer.jsArrived, customer.bootAt),
    statusCheck: at('status') - at('init'),
    consentClick: at('start') - at('status'),
    getUserMedia: at('media') - at('start'),
    // Start -> the join (or resume) on the wire: 0 when the socket opened at load was already open.
    joinSent: at('socket') - at('start'),
    // ...and once its context packet was built and it was handed to the socket.
    joinOut: at('joinOut') - at('start'),
    zoneCost: at('zoneDone') - at('primeAt'),
    standInCost: at('primed') - at('zoneDone'),
    signalingJoin: at('welcome') - at('start'),
    agentJoinArrives: ag('joinArrived') - at('start'),
    agentSeesJoin: ag('peerJoined') - at('start'),
    agentOfferSent: ag('offerSent') - at('start'),
    offerArrives: at('offer') - at('start'),
    answerSent: at('answer') - at('start'),
    firstCandidateOut: at('candidateOut') - at('start'),
    iceConnected: ag('iceConnected') - at('start'),
    dtlsConnected: ag('dtlsConnected') - at('start'),
    firstFrameAfterDtls: firstFrame - ag('dtlsConnected'),
    clickToFirstFrame: firstFrame - at('start'),
    pressToFirstFrame: firstFrame - customer.pressAt,
  };
}

/**
 * The baseline: two RTCPeerConnections in one page, same media, trickle ICE in memory. With
 * `launch360` the sender starts at a quarter of the pixels (scaleResolutionDownBy 2 on its first
 * encoding), as the customer's page does (src-renderer/call/quality/launch.ts): the same trick
 * on the bare peers, so the floor is not one that our page beats only by it.
 */
const baselineScript = (launch360: boolean) => `(async () => {
  const t0 = performance.now();
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: true });
  const tMedia = performance.now();
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  a.onicecandidate = (e) => { if (e.candidate) b.addIceCandidate(e.candidate); };
  b.onicecandidate = (e) => { if (e.candidate) a.addIceCandidate(e.candidate); };
  for (const t of stream.getTracks()) {
    if (${launch360} && t.kind === 'video') a.addTransceiver(t, { direction: 'sendonly', streams: [stream], sendEncodings: [{ scaleResolutionDownBy: 2 }] });
    else a.addTrack(t, stream);
  }
  let tIce = 0, tDtls = 0;
  b.oniceconnectionstatechange = () => { if (b.iceConnectionState === 'connected' && !tIce) tIce = performance.now(); };
  b.onconnectionstatechange = () => { if (b.connectionState === 'connected' && !tDtls) tDtls = performance.now(); };
  const v = document.createElement('video'); v.muted = true; v.autoplay = true; v.playsInline = true; document.body.appendChild(v);
  const frame = new Promise((res) => { v.requestVideoFrameCallback(() => res(performance.now())); });
  b.ontrack = (e) => { if (!v.srcObject) { v.srcObject = e.streams[0]; v.play().catch(() => {}); } };
  const offer = await a.createOffer(); await a.setLocalDescription(offer); await b.setRemoteDescription(offer);
  const answer = await b.createAnswer(); await b.setLocalDescription(answer); await a.setRemoteDescription(answer);
  const tFrame = await frame;
  for (const t of stream.getTracks()) t.stop();
  a.close(); b.close(); v.remove();
  // sinceNavigation: the first frame on the page's own clock (ms since its navigation started).
  return { getUserMedia: tMedia - t0, iceConnected: tIce - t0, dtlsConnected: tDtls - t0, firstFrameAfterDtls: tFrame - tDtls, clickToFirstFrame: tFrame - t0, sinceNavigation: tFrame };
})()`;
const BASELINE = baselineScript(false);

/**
 * The same bare peers in a fresh browser context each time, in a page as small as a page gets, its
 * tab opened at the URL like the customer's: the floor for a customer's first paint and for a cold
 * getUserMedia in a new renderer, which the warm-page baseline (camera opened minutes ago in the same
 * page) does not pay.
 */
async function freshBaseline(browser: Browser, cdp: CDPSession, url: string, launch360 = false): Promise<Sample> {
  const { ctx, page } = await openTab(browser, cdp, 'direct', url, { permissions: ['camera', 'microphone'] });
  try {
    await poll(page, 'performance.getEntriesByName("first-contentful-paint").length > 0');
    const fcp = await page.evaluate('performance.getEntriesByName("first-contentful-paint")[0].startTime') as number;
    const s = await page.evaluate(baselineScript(launch360)) as Sample;
    // total: link -> first frame with no code of ours, no server and no network between the peers.
    return { ...s, consentShown: fcp, total: s.sinceNavigation! };
  } finally {
    await ctx.close();
  }
}

/** First paint only of the bare page, opened either way, with or without COOP: the paint floors of each way. */
async function barePaint(browser: Browser, cdp: CDPSession, way: OpenWay, url: string): Promise<number> {
  const { ctx, page } = await openTab(browser, cdp, way, url, {});
  try {
    await poll(page, 'performance.getEntriesByName("first-contentful-paint").length > 0');
    return await page.evaluate('performance.getEntriesByName("first-contentful-paint")[0].startTime') as number;
  } finally {
    await ctx.close();
  }
}

/**
 * A bare HTML page with one heading and one button (no script, no stylesheet), on 127.0.0.1; at
 * /coop/ the same page with `Cross-Origin-Opener-Policy: same-origin`, the header the customer's page
 * keeps, which costs a renderer of its own (bench/open-tab.ts).
 */
async function bareServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const { createServer } = await import('node:http');
  const html = '<!doctype html><html><head><meta charset="utf-8"><title>Visual support</title></head><body><h1>Visual support</h1><p>Show the agent what you see.</p><button>Start</button></body></html>';
  const srv = createServer((req, res) => {
    if (req.url?.startsWith('/coop/')) res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', () => ok()));
  const port = (srv.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((ok) => srv.close(() => ok())) };
}

async function openAgent(browser: Browser, env: CallEnv): Promise<Page> {
  const actx = await browser.newContext({ permissions: ['camera', 'microphone'], bypassCSP: true });
  const agent = await actx.newPage();
  if (process.env.BENCH_VERBOSE) agent.on('console', (m) => console.log(`[agent] ${m.text()}`));
  await agent.goto(env.workstationUrl);
  await waitFor(agent, `/ready|ended/.test(document.querySelector('[data-testid="agent-status"]')?.dataset.phase ?? '')`);
  return agent;
}

async function main() {
  // The customer's phone and the agent's desktop are different devices (bench/devices.ts).
  const plan = cpuPlan(devicesArg());
  pinSelf(plan);
  const y4m = await makeFakeCamera();
  const env = await startCallEnv();
  // The other checkout's own servers and pages (its call-env serves its own dist/).
  const other: CallEnv | null = COMPARE
    ? await ((await import(join(resolve(COMPARE), 'tests/e2e/support/call-env.ts'))) as { startCallEnv: () => Promise<CallEnv> }).startCallEnv()
    : null;
  const browserArgs = [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${y4m}`];
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: browserArgs });
  // Every customer-side page (the calls, the bare pages and peers) runs in the customer's browser.
  const customerBrowser = plan.customer ? await chromium.launch({ executablePath: chromiumOn(chromiumPath(), plan.customer), headless: true, args: browserArgs }) : browser;
  const bare = await bareServer();
  const cdp = await customerBrowser.newBrowserCDPSession();
  try {
    const agent = await openAgent(browser, env);
    const otherAgent = other ? await openAgent(browser, other) : null;

    const ours: Sample[] = [];
    const viaGoto: Sample[] = [];
    const theirs: Sample[] = [];
    const fresh: Sample[] = [];
    const fresh360: Sample[] = [];
    const floors: Record<string, number[]> = { direct: [], directCoop: [], goto: [], gotoCoop: [] };
    for (let i = 0; i < CALLS; i++) {
      const sides: Array<[Page, Sample[], string, OpenWay]> = [[agent, ours, '', 'direct'], [agent, viaGoto, ' (goto)', 'goto']];
      if (otherAgent) sides.push([otherAgent, theirs, ' (compare)', 'direct']);
      // who goes first rotates
      for (let r = 0; r < i % sides.length; r++) sides.push(sides.shift()!);
      for (const [page, into, label, way] of sides) {
        const s = await oneCall(customerBrowser, cdp, page, way);
        await waitFor(page, `document.querySelector('[data-testid="agent-status"]')?.dataset.phase === 'ended'`);
        if (i > 0) into.push(s);
        process.stdout.write(`call ${i}${label}${i === 0 ? ' (warm-up)' : ''}: ${round(s.total!, 0)} ms\n`);
      }
      // Interleaved with the calls, so both see the same machine.
      const f = await freshBaseline(customerBrowser, cdp, bare.url);
      if (i > 0) fresh.push(f);
      const f360 = await freshBaseline(customerBrowser, cdp, bare.url, true);
      if (i > 0) fresh360.push(f360);
      for (const [k, way, path] of [['directCoop', 'direct', 'coop/'], ['goto', 'goto', ''], ['gotoCoop', 'goto', 'coop/']] as const) {
        const fcp = await barePaint(customerBrowser, cdp, way, `${bare.url}${path}`);
        if (i > 0) floors[k]!.push(fcp);
      }
      if (i > 0) floors.direct!.push(f.consentShown!);
    }

    const bctx = await customerBrowser.newContext({ permissions: ['camera', 'microphone'], bypassCSP: true });
    const bpage = await bctx.newPage();
    await bpage.goto(`${env.signalingUrl}/healthz`);
    const base: Sample[] = [];
    const base360: Sample[] = [];
    for (let i = 0; i < CALLS; i++) {
      const s = await bpage.evaluate(BASELINE) as Sample;
      if (i > 0) base.push(s);
      const s360 = await bpage.evaluate(baselineScript(true)) as Sample;
      if (i > 0) base360.push(s360);
    }

    const col = (xs: Sample[], k: string) => xs.map((x) => x[k]!).filter((x) => Number.isFinite(x));
    const keys = ['total', 'totalWall', 'pageLoad', 'htmlArrived', 'consentShown', 'startPressed', 'pressAfterPaint', 'startActed', 'scriptKB', 'scriptEvaluate', 'statusCheck', 'consentClick', 'getUserMedia', 'joinSent', 'joinOut', 'zoneCost', 'standInCost', 'signalingJoin', 'agentJoinArrives', 'agentSeesJoin', 'agentOfferSent', 'offerArrives', 'answerSent', 'firstCandidateOut', 'iceConnected', 'dtlsConnected', 'firstFrameAfterDtls', 'clickToFirstFrame', 'pressToFirstFrame'];
    const metrics: Record<string, number> = {};
    const baseline: Record<string, number> = {};
    const rows: Array<{ metric: string; ours: number | string; baseline?: number | string; unit?: string }> = [];
    for (const k of keys) {
      for (const [q, fn] of [['median', median], ['p95', p95]] as const) {
        const o = fn(col(ours, k));
        const b = base[0] && k in base[0] ? fn(col(base, k)) : undefined;
        metrics[`${k}_${q}_ms`] = round(o, 1);
        if (b !== undefined) baseline[`${k}_${q}_ms`] = round(b, 1);
        rows.push({ metric: `${k} ${q}`, ours: round(o, 1), ...(b !== undefined ? { baseline: round(b, 1) } : {}), unit: 'ms' });
      }
    }
    // The fresh-page floor, beside the warm-page baseline the aim is stated against.
    for (const k of ['total', 'consentShown', 'getUserMedia', 'dtlsConnected', 'firstFrameAfterDtls', 'clickToFirstFrame']) {
      const b = median(col(fresh, k));
      baseline[`freshPage_${k}_median_ms`] = round(b, 1);
      rows.push({ metric: `${k} median (bare peers, fresh page)`, ours: '', baseline: round(b, 1), unit: 'ms' });
    }
    // The same bare peers launching at 360p as ours do: fresh page, and warm page.
    for (const k of ['total', 'firstFrameAfterDtls', 'clickToFirstFrame']) {
      const b = median(col(fresh360, k));
      baseline[`freshPage360_${k}_median_ms`] = round(b, 1);
      rows.push({ metric: `${k} median (bare peers launching at 360p, fresh page)`, ours: '', baseline: round(b, 1), unit: 'ms' });
    }
    for (const k of ['firstFrameAfterDtls', 'clickToFirstFrame']) {
      const o = median(col(ours, k)), b = median(col(base360, k));
      baseline[`warmPage360_${k}_median_ms`] = round(b, 1);
      rows.push({ metric: `${k} median (bare peers launching at 360p, warm page)`, ours: round(o, 1), baseline: round(b, 1), unit: 'ms' });
    }
    // The bare page's first paint, by way of opening and with COOP: what the consent step cannot beat.
    for (const [k, label] of [['directCoop', 'tab at the URL, COOP'], ['goto', 'about:blank tab + goto'], ['gotoCoop', 'about:blank tab + goto, COOP']] as const) {
      const b = median(floors[k]!);
      baseline[`barePage_${k}_consentShown_median_ms`] = round(b, 1);
      rows.push({ metric: `consentShown median (bare page, ${label})`, ours: '', baseline: round(b, 1), unit: 'ms' });
    }
    // The same calls with the link opened the old way (Playwright's about:blank tab, then goto), interleaved.
    const gm: Record<string, number> = {};
    console.log(`\n# link opened at the URL (direct) vs Playwright's about:blank tab + goto (interleaved, ${ours.length} calls each; medians, ms)`);
    for (const k of keys) {
      const o = median(col(ours, k)), g = median(col(viaGoto, k));
      if (!Number.isFinite(o) && !Number.isFinite(g)) continue;
      gm[`${k}_median_ms`] = round(g, 1);
      console.log(`${k.padEnd(20)} ${String(round(o, 0)).padStart(6)} ${String(round(g, 0)).padStart(6)}`);
    }
    for (const k of ['consentShown', 'total']) {
      metrics[`goto_${k}_median_ms`] = round(median(col(viaGoto, k)), 1);
      metrics[`goto_${k}_p95_ms`] = round(p95(col(viaGoto, k)), 1);
      rows.push({ metric: `${k} median, link opened by goto`, ours: metrics[`goto_${k}_median_ms`]!, unit: 'ms' });
    }
    let compare: Record<string, unknown> | undefined;
    if (theirs.length) {
      const cm: Record<string, number> = {};
      console.log(`\n# ours vs --compare=${COMPARE} (interleaved, ${ours.length} calls each; medians, ms)`);
      for (const k of keys) {
        const o = median(col(ours, k)), t = median(col(theirs, k));
        if (!Number.isFinite(o) && !Number.isFinite(t)) continue;
        cm[`${k}_median_ms`] = round(t, 1);
        console.log(`${k.padEnd(20)} ${String(round(o, 0)).padStart(6)} ${String(round(t, 0)).padStart(6)}  ${Number.isFinite(o / t) ? round(o / t, 2) : ''}`);
      }
      compare = { dir: COMPARE, calls: theirs.length, metrics: cm };
    }
    report({
      name: 'call',
      metrics,
      baseline,
      notes: {
        calls: ours.length,
        warmup: 1,
        what: 'customer opens invite link -> agent first rendered frame (rVFC); breakdown on the customer page timeline (ms since navigation start or since the Start click)',
        way: 'main figures: the link opened as a tab at the URL (CDP Target.createTarget), as an OS opens a tapped link; goto_* and notes.goto: the same calls, interleaved, with the link opened in Playwright\'s about:blank tab by page.goto',
        goto: { calls: viaGoto.length, metrics: gm },
        barePage: 'barePage_*: the bare page\'s first paint opened each way, with and without COOP (freshPage_consentShown is the direct way without COOP)',
        baseline: 'two RTCPeerConnections in one page: getUserMedia + offer/answer + in-memory trickle + first frame (no page load, no signaling, no consent click)',
        freshPage: 'freshPage_*: the same bare peers in a new browser context per call, in a bare HTML page on 127.0.0.1 opened as a tab at its URL (consentShown = its first contentful paint; total = its first frame since navigation start, the peers started as soon as the bench saw the paint): the floor a new renderer and a cold camera set, with no code of ours, no server and no network',
        launch360: 'freshPage360_* / warmPage360_*: the same bare peers with the sender starting at scaleResolutionDownBy 2, as the customer page launches (call/quality/launch.ts)',
        chromium: browser.version(),
        devices: plan.mode === 'split' ? `split: the customer's browser on CPU ${plan.customer}; the agent's browser, the servers and the bench on CPU ${plan.rest}` : 'shared: every browser and server on every CPU',
        cpus: (await import('node:os')).cpus().length,
        loadavg: (await import('node:os')).loadavg().map((x) => round(x, 1)),
        ...(compare ? { compare } : {}),
      },
    }, rows);
  } finally {
    if (customerBrowser !== browser) await customerBrowser.close();
    await browser.close();
    await bare.close();
    await other?.close();
    await env.close();
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
