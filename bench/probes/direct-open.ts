/**
 * Probe: does a tab opened directly at the link (no automation attached, no about:blank committed
 * first) pay Cross-Origin-Opener-Policy's renderer swap? Debian Chromium launched by hand with a
 * DevTools port and driven over raw CDP (no Target.setAutoAttach, unlike Playwright, which pauses
 * every new tab until it has set it up). Per load: a new browser context, Target.createTarget at the
 * URL, first-contentful-paint read after the fact, and the renderer processes the browser started
 * (--renderer-client-id is handed out in order).
 *
 *   npx tsx bench/probes/direct-open.ts [--loads=N]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, chromiumPath } from '../../tests/e2e/support/chromium';
import { median, round } from '../lib';

const LOADS = Number(process.argv.find((a) => a.startsWith('--loads='))?.slice(8) ?? 8);
const BARE = '<!doctype html><html><head><meta charset="utf-8"><title>Visual support</title></head><body><h1>Visual support</h1><p>Show the agent what you see.</p><button>Start</button></body></html>';

async function main() {
  const srv = createServer((req, res) => {
    if (req.url?.startsWith('/coop/')) res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(BARE);
  });
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', () => ok()));
  const base = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'direct-open-'));
  const proc = spawn(chromiumPath(), [...CHROMIUM_ARGS, '--headless', '--remote-debugging-port=0', `--user-data-dir=${dir}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const wsUrl = await new Promise<string>((ok, ko) => {
    let buf = '';
    proc.stderr.on('data', (d: Buffer) => { buf += d.toString(); const m = /DevTools listening on (ws:\S+)/.exec(buf); if (m) ok(m[1]!); });
    proc.on('exit', () => ko(new Error(`chromium exited: ${buf}`)));
  });
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
  await new Promise((ok) => ws.once('open', ok));
  let seq = 0;
  const waiting = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  ws.on('message', (d) => { const m = JSON.parse(String(d)) as { id?: number; result?: unknown; error?: unknown }; if (m.id) waiting.get(m.id)?.(m); });
  const send = <T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string) => new Promise<T>((ok, ko) => {
    const id = ++seq;
    waiting.set(id, (m) => (m.error ? ko(new Error(JSON.stringify(m.error))) : ok(m.result as T)));
    ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
  });
  let maxSeen = 0;
  const clientIds = async () => {
    const r = await send<{ processInfo: Array<{ type: string; id: number }> }>('SystemInfo.getProcessInfo');
    for (const p of r.processInfo) {
      if (p.type !== 'renderer') continue;
      try { maxSeen = Math.max(maxSeen, Number(/--renderer-client-id=(\d+)/.exec(readFileSync(`/proc/${p.id}/cmdline`, 'utf8'))?.[1] ?? 0)); } catch { /* gone */ }
    }
    return maxSeen;
  };
  const res: Record<string, Array<{ fcp: number; procs: number }>> = { plain: [], coop: [] };
  try {
    for (let i = 0; i <= LOADS; i++) {
      for (const kind of i % 2 ? ['plain', 'coop'] : ['coop', 'plain']) {
        const p0 = await clientIds();
        const { browserContextId } = await send<{ browserContextId: string }>('Target.createBrowserContext');
        const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url: `${base}/${kind}/${i}`, browserContextId });
        // The tab navigates on its own; we look at it only after it has painted (attaching earlier would be automation in its way).
        await new Promise((ok) => setTimeout(ok, 2500));
        const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
        const r = await send<{ result: { value: number } }>('Runtime.evaluate', { expression: 'performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1', returnByValue: true }, sessionId);
        const p1 = await clientIds();
        await send('Target.disposeBrowserContext', { browserContextId });
        if (i > 0) res[kind]!.push({ fcp: r.result.value, procs: p1 - p0 });
      }
    }
  } finally {
    ws.close();
    proc.kill();
    srv.close();
    await new Promise((ok) => setTimeout(ok, 300));
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`# tab opened at the URL over raw CDP, ${LOADS} loads each, interleaved; load ${(await import('node:os')).loadavg().map((x) => round(x, 1)).join(' ')}`);
  for (const [k, xs] of Object.entries(res)) console.log(`${k.padEnd(6)} fcp median ${round(median(xs.map((x) => x.fcp)), 0)} ms (min ${round(Math.min(...xs.map((x) => x.fcp)), 0)}), renderers started per load: ${xs.map((x) => x.procs).join(',')}`);
}
main().catch((e: unknown) => { console.error(e); process.exit(1); });
