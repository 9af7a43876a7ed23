/**
 * Probe (not a bench): what holds the customer page's first paint back, A/B interleaved in one run.
 *
 *   npx tsx bench/probes/consent-paint.ts [--loads=N] [--variants=a,b,...] [--ways=goto,cdp,raw] [--cpu] [--agent] [--trace=FILE]
 *
 * Serves the built customer page (dist/renderer/customer/index.html, personalised by the signaling
 * server's own code as a valid invite, with the signaling server's real security headers) and
 * variants of it from one in-process server, and opens each in a fresh browser context in one of three
 * ways: `goto` (Playwright's new tab, which holds about:blank, then page.goto) or `cdp`
 * (Target.createTarget with the URL: a tab opened directly at the link, as a phone's OS opens a
 * tapped link). Per load: first-contentful-paint, the HTML's responseEnd, and how many renderer
 * processes the browser started meanwhile (--renderer-client-id; one more with COOP = its swap), and
 * with --cpu the page's renderer CPU time from navigation start to the paint (a trace per load).
 * Round-robin over (variant × way), so every variant sees the same machine. --agent also opens the
 * web-hosted workstation page (real servers, as in `npm run bench -- call`) and has the agent make a
 * new invite (peer + offer prepared) right before each load, as in the bench.
 * --trace=FILE records a Chromium trace (devtools.timeline, loading, navigation) of the first loads.
 */
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../../tests/e2e/support/chromium';
import { STATIC_DIR, startCallEnv, type CallEnv } from '../../tests/e2e/support/call-env';
import { customerPageCsp, setSecurityHeaders } from '../../signaling-server/security-headers';
import { personalizeCustomerPage, EARLY_PAGE_SCRIPT } from '../../signaling-server/consent-page';
import { inviteStateMetaTag } from '../../signaling-server/protocol/index';
import { serveAsset } from '../../signaling-server/static-files';
import { median, round } from '../lib';
import { openTab } from '../open-tab';

const argv = process.argv.slice(2);
const opt = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const LOADS = Number(opt('loads') ?? 10);
type Way = 'goto' | 'cdp' | 'raw';
const WAYS = (opt('ways') ?? 'goto,cdp').split(',') as Way[];
const WITH_AGENT = argv.includes('--agent');
const TRACE = opt('trace');
/** --cpu: trace each load (toplevel, loading, blink.user_timing) and sum the page's renderer CPU time (thread time) from navigation start to the first paint: machine load inflates wall time, not this. */
const CPU = argv.includes('--cpu');

type TraceEvent = { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; data?: { documentLoaderURL?: string } } };
async function traceOf(cdp: CDPSession, run: () => Promise<void>): Promise<TraceEvent[]> {
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', 'loading', 'blink.user_timing', '__metadata'] }, transferMode: 'ReturnAsStream' } as never);
  await run();
  const done = new Promise<string>((ok) => cdp.once('Tracing.tracingComplete' as never, ((e: { stream: string }) => ok(e.stream)) as never));
  await cdp.send('Tracing.end');
  const stream = await done;
  let out = '';
  for (;;) { const c = await cdp.send('IO.read', { handle: stream }); out += c.data; if (c.eof) break; }
  await cdp.send('IO.close', { handle: stream });
  const j = JSON.parse(out) as { traceEvents: TraceEvent[] } | TraceEvent[];
  return Array.isArray(j) ? j : j.traceEvents;
}
/** CPU ms of the renderer that loaded `url`, navigation start → first contentful paint: its main thread, and all its threads. */
function cpuToPaint(ev: TraceEvent[], url: string): { main: number; all: number } {
  const nav = ev.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL === url);
  if (!nav) return { main: NaN, all: NaN };
  const fcp = ev.find((e) => e.name === 'firstContentfulPaint' && e.pid === nav.pid);
  if (!fcp) return { main: NaN, all: NaN };
  const mainTid = ev.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === nav.pid && e.args?.name === 'CrRendererMain')?.tid;
  let main = 0, all = 0;
  for (const e of ev) {
    if (e.pid !== nav.pid || e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask' || e.ts < nav.ts || e.ts > fcp.ts) continue;
    all += e.tdur ?? 0;
    if (e.tid === mainTid) main += e.tdur ?? 0;
  }
  return { main: main / 1000, all: all / 1000 };
}

const built = readFileSync(join(STATIC_DIR, 'customer/index.html'), 'utf8');
/** The page as the signaling server serves it for a valid invite. */
const served = (html: string, headScript = true) => {
  let t = headScript ? personalizeCustomerPage(html, 'valid', 'en') : html.replace(/<html(\s[^>]*)?>/i, '<html lang="en" data-invite="valid">');
  t = t.replace('</head>', `${inviteStateMetaTag('valid')}\n</head>`);
  return t;
};
const BARE = '<!doctype html><html><head><meta charset="utf-8"><title>Visual support</title></head><body><h1>Visual support</h1><p>Show the agent what you see.</p><button>Start</button></body></html>';

/** name -> [html, headers: true = the server's security headers, false = none, 'coop' = COOP alone, 'nocoop' = all but COOP] */
type Headers = boolean | 'coop' | 'nocoop';
const VARIANTS: Record<string, () => [string, Headers]> = {
  'served-nocoop': () => [served(built), 'nocoop'],
  'bare-coop': () => [BARE, 'coop'],
  served: () => [served(built), true],
  'served-noheaders': () => [served(built), false],
  bare: () => [BARE, false],
  'bare-headers': () => [BARE, true],
  'no-module-scripts': () => [served(built.replace(/<script type="module"[^>]*><\/script>/g, '').replace(/<link rel="modulepreload"[^>]*>/g, '')), true],
  'no-modulepreload': () => [served(built.replace(/<link rel="modulepreload"[^>]*>/g, '')), true],
  'no-inline-script': () => [served(built, false), true],
  'inline-script-end': () => [served(built, false).replace('</body>', `<script>${EARLY_PAGE_SCRIPT}</script></body>`), true],
  'no-css': () => [served(built.replace(/<style>:root[\s\S]*?<\/style>/, '')), true],
  'no-ja': () => [served(built.replace(/<span class="l-ja" lang="ja">[^<]*<\/span>/g, '').replace('<option value="ja">日本語</option>', '')), true],
  'no-select': () => [served(built.replace(/<label class="lang-switch">[\s\S]*?<\/label>/, '')), true],
  'no-viewport': () => [served(built.replace(/<meta name="viewport"[^>]*>/, '')), true],
  'scripts-at-end': () => {
    const tags = [...built.matchAll(/<script type="module"[^>]*><\/script>|<link rel="modulepreload"[^>]*>/g)].map((m) => m[0]);
    let h = built;
    for (const t of tags) h = h.replace(t, '');
    return [served(h.replace('</body>', `${tags.join('\n')}\n</body>`)), true];
  },
};
const names = (opt('variants') ?? 'served,bare').split(',');
for (const n of names) if (!VARIANTS[n]) throw new Error(`unknown variant ${n} (known: ${Object.keys(VARIANTS).join(', ')})`);
const pages = new Map(names.map((n) => [n, VARIANTS[n]!()]));

async function variantServer(): Promise<{ base: string; srv: Server }> {
  const srv = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname.startsWith('/assets/')) { setSecurityHeaders(res, base); void serveAsset(res, STATIC_DIR, u.pathname.slice(8), false); return; }
    const m = /^\/v\/([^/]+)\//.exec(u.pathname);
    const page = m ? pages.get(decodeURIComponent(m[1]!)) : undefined;
    if (!page) { res.writeHead(204); res.end(); return; }
    if (page[1] === 'coop') res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    else if (page[1]) setSecurityHeaders(res, base, customerPageCsp(base));
    if (page[1] === 'nocoop') res.removeHeader('Cross-Origin-Opener-Policy');
    const body = Buffer.from(page[0], 'utf8');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', () => ok()));
  const base = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  return { base, srv };
}

let maxSeen = 0;
async function renderers(cdp: CDPSession): Promise<number> {
  const r = await cdp.send('SystemInfo.getProcessInfo' as never) as unknown as { processInfo: Array<{ type: string; id: number }> };
  let max = 0;
  for (const p of r.processInfo) {
    if (p.type !== 'renderer') continue;
    try { maxSeen = max = Math.max(maxSeen, max, Number(/--renderer-client-id=(\d+)/.exec(readFileSync(`/proc/${p.id}/cmdline`, 'utf8'))?.[1] ?? 0)); } catch { /* gone */ }
  }
  return maxSeen;
}

/**
 * `raw`: a context made over CDP, which Playwright does not know (it detaches from the new target at once,
 * letting it run), and a tab opened in it at the URL: no automation stands between the tap and the page.
 * Read over a non-flat target session (Target.sendMessageToTarget).
 */
async function rawOpen(cdp: CDPSession, url: string): Promise<{ read: (expr: string) => Promise<unknown>; close: () => Promise<void> }> {
  const { browserContextId } = await cdp.send('Target.createBrowserContext', { disposeOnDetach: true });
  const { targetId } = await cdp.send('Target.createTarget', { url, browserContextId });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
  let seq = 0;
  const waiting = new Map<number, (v: unknown) => void>();
  const onMsg = (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { id?: number; result?: { result?: { value?: unknown } } };
    if (m.id !== undefined) waiting.get(m.id)?.(m.result?.result?.value);
  };
  cdp.on('Target.receivedMessageFromTarget' as never, onMsg as never);
  const read = (expr: string) => new Promise<unknown>((ok) => {
    const id = ++seq;
    waiting.set(id, ok);
    void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression: expr, returnByValue: true } }) });
  });
  return { read, close: async () => { cdp.off('Target.receivedMessageFromTarget' as never, onMsg as never); await cdp.send('Target.disposeBrowserContext', { browserContextId }); } };
}

async function main() {
  const { base, srv } = await variantServer();
  const env: CallEnv | null = WITH_AGENT ? await startCallEnv() : null;
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  const cdp = await browser.newBrowserCDPSession();
  let agent: Page | null = null;
  if (env) {
    const actx = await browser.newContext({ permissions: ['camera', 'microphone'], bypassCSP: true });
    agent = await actx.newPage();
    await agent.goto(env.workstationUrl);
    await agent.waitForFunction(`/ready|ended/.test(document.querySelector('[data-testid="agent-status"]')?.dataset.phase ?? '')`, undefined, { timeout: 60_000 });
  }
  const results = new Map<string, Array<{ fcp: number; html: number; procs: number; wall: number; cpuMain: number; cpuAll: number }>>();
  let traced = 0;
  if (TRACE) await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'loading', 'navigation', 'blink.user_timing', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'blink', 'renderer.scheduler', 'disabled-by-default-devtools.timeline.frame', 'content', 'browser'] }, transferMode: 'ReturnAsStream' } as never);
  try {
    for (let i = 0; i < LOADS + 1; i++) {
      const combos = names.flatMap((n) => WAYS.map((w) => [n, w] as const));
      // rotate so no variant is always first after the agent's invite
      const order = combos.map((_, k) => combos[(k + i) % combos.length]!);
      for (const [n, way] of order) {
        if (agent) {
          await agent.evaluate('window.__agentCall.newSession()');
          await agent.waitForFunction(`!!document.querySelector('[data-testid="invite-url"]')?.value`, undefined, { timeout: 30_000, polling: 10 });
        }
        const procs0 = await renderers(cdp);
        const asked = Date.now();
        const url = `${base}/v/${encodeURIComponent(n)}/x${i}`;
        let tab!: Awaited<ReturnType<typeof rawOpen>> | Awaited<ReturnType<typeof openTab>>;
        const ev = (e: string) => ('read' in tab ? tab.read(e) : tab.page.evaluate(e));
        const load = async () => {
          tab = way === 'raw' ? await rawOpen(cdp, url) : await openTab(browser, cdp, way === 'cdp' ? 'direct' : 'goto', url, { permissions: ['camera', 'microphone'], bypassCSP: true });
          for (const end = Date.now() + 30_000; !(await ev('performance.getEntriesByName("first-contentful-paint").length > 0'));) {
            if (Date.now() > end) throw new Error('no first paint');
            await new Promise((ok) => setTimeout(ok, 10));
          }
        };
        let cpu = { main: NaN, all: NaN };
        if (CPU) cpu = cpuToPaint(await traceOf(cdp, load), url);
        else await load();
        const r = await ev(`(() => { const nav = performance.getEntriesByType('navigation')[0]; return { fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime, html: nav ? nav.responseEnd : NaN, origin: performance.timeOrigin,
          t: nav ? [nav.fetchStart, nav.requestStart, nav.responseStart, nav.responseEnd, nav.domInteractive].map(Math.round).join('/') : '' }; })()`) as { fcp: number; html: number; origin: number; t: string };
        if (process.env.PROBE_VERBOSE) console.log(`${n} ${way}: asked→timeOrigin ${Math.round(r.origin - asked)} fetch/req/resp/respEnd/domInteractive ${r.t} fcp ${Math.round(r.fcp)} → wall ${Math.round(r.origin + r.fcp - asked)}`);
        const procs1 = await renderers(cdp);
        const started = procs1 - procs0;
        // processes that came and went between the two reads are not seen; a swap leaves the new one alive
        await ('read' in tab ? tab.close() : tab.ctx.close());
        if (agent) { await agent.evaluate('window.__agentCall.hangUp()').catch(() => {}); await agent.waitForFunction(`/ready|ended/.test(document.querySelector('[data-testid="agent-status"]')?.dataset.phase ?? '')`, undefined, { timeout: 30_000 }).catch(() => {}); }
        if (i === 0) continue; // warm-up round
        const k = `${n} ${way}`;
        if (!results.has(k)) results.set(k, []);
        results.get(k)!.push({ fcp: r.fcp, html: r.html, procs: started, wall: r.origin + r.fcp - asked, cpuMain: cpu.main, cpuAll: cpu.all });
        traced++;
      }
      process.stdout.write(`round ${i}${i === 0 ? ' (warm-up)' : ''} done\n`);
      if (TRACE && i === 2) {
        const done = new Promise<string>((ok) => cdp.once('Tracing.tracingComplete' as never, ((e: { stream: string }) => ok(e.stream)) as never));
        await cdp.send('Tracing.end');
        const stream = await done;
        let out = '';
        for (;;) { const c = await cdp.send('IO.read', { handle: stream }); out += c.data; if (c.eof) break; }
        writeFileSync(TRACE, out);
        console.log(`trace: ${TRACE} (${traced} loads)`);
      }
    }
  } finally {
    console.log(`\n# ${LOADS} loads each, interleaved; load average ${(await import('node:os')).loadavg().map((x) => round(x, 1)).join(' ')}`);
    console.log(`${'variant way'.padEnd(32)} fcp med  fcp min  html med  asked→fcp med  cpu main/all med  renderers started (per load)`);
    for (const [k, xs] of results) {
      console.log(`${k.padEnd(32)} ${String(round(median(xs.map((x) => x.fcp)), 0)).padStart(7)}  ${String(round(Math.min(...xs.map((x) => x.fcp)), 0)).padStart(7)}  ${String(round(median(xs.map((x) => x.html)), 1)).padStart(8)}  ${String(round(median(xs.map((x) => x.wall)), 0)).padStart(13)}  ${`${round(median(xs.map((x) => x.cpuMain)), 0)}/${round(median(xs.map((x) => x.cpuAll)), 0)}`.padStart(16)}  ${xs.map((x) => x.procs).join(',')}`);
    }
    await browser.close();
    await env?.close();
    srv.close();
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
