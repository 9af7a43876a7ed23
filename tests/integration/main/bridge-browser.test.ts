/**
 * The renderer bridge in real Chromium (Debian's) against the real web host:
 * the secret moves from the URL fragment to sessionStorage and off the address
 * bar, calls round-trip through the router, a reload keeps working, a tab
 * without the secret gets a typed 'unauthorized', and the CSP header really
 * blocks inline script.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../../e2e/support/chromium';
import { startWebWorkstation, type WebWorkstation } from '../../../src-main/web-host/workstation';
import { memoryLogger } from '../../../src-main/log';

const root = resolve(import.meta.dirname, '../../..');
let dir: string;
let ws: WebWorkstation;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'va-bridge-'));
  const staticDir = join(dir, 'renderer');
  await mkdir(join(staticDir, 'app'), { recursive: true });
  const entry = join(dir, 'entry.ts');
  await writeFile(entry, `import { call, getWorkstation } from ${JSON.stringify(join(root, 'src-renderer/bridge/workstation.ts'))};\n(window as any).bridge = { call, getWorkstation };\n`);
  await build({ entryPoints: [entry], bundle: true, format: 'esm', outfile: join(staticDir, 'assets', 'bridge.js'), logLevel: 'warning' });
  await writeFile(join(staticDir, 'app', 'index.html'),
    '<!doctype html><title>bridge</title><script>window.inlineRan = true</script><script type="module" src="/assets/bridge.js"></script>');
  ws = await startWebWorkstation({
    config: { dataDir: join(dir, 'data'), webHostPort: 0, signalingUrl: 'http://127.0.0.1:7800' },
    deps: { mintAgentToken: (id) => `tok-${id}` },
    staticDir,
    log: memoryLogger(),
  });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ws?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('renderer bridge over the web host (real Chromium)', () => {
  it('takes the secret from the fragment, hides it, and calls through the router', async () => {
    const page = await browser.newPage();
    await page.goto(ws.webHost.workstationUrl);
    await page.waitForFunction(() => 'bridge' in window);
    expect(page.url()).toBe(`${ws.webHost.origin}/`);
    expect(await page.evaluate(() => sessionStorage.getItem('workstation.k'))).toBe(ws.webHost.secret);

    const set = await page.evaluate(() => (window as any).bridge.call('audio:setPrefs', { outputId: 'spk-1', outputLabel: 'Headset' }));
    expect(set).toMatchObject({ ok: true, value: { outputId: 'spk-1', outputLabel: 'Headset' } });
    const cfg = await page.evaluate(() => (window as any).bridge.call('app:getSessionConfig', {}));
    expect(cfg).toMatchObject({ ok: true, value: { agentToken: 'tok-local-agent', host: 'web' } });
    const bad = await page.evaluate(() => (window as any).bridge.call('audio:setPrefs', { inputId: 1 }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });

    await page.reload();
    await page.waitForFunction(() => 'bridge' in window);
    expect(await page.evaluate(() => (window as any).bridge.call('audio:getPrefs', {}))).toMatchObject({ ok: true, value: { outputId: 'spk-1' } });
    await page.close();
  });

  it('answers a tab opened without the secret with a typed unauthorized result', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${ws.webHost.origin}/`);
    await page.waitForFunction(() => 'bridge' in window);
    expect(await page.evaluate(() => (window as any).bridge.call('audio:getPrefs', {}))).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('Workstation link') } });
    // A wrong key (e.g. from an earlier launch) is refused by the host and explained the same way.
    await page.evaluate(() => sessionStorage.setItem('workstation.k', 'stale-key-from-yesterday'));
    await page.reload();
    await page.waitForFunction(() => 'bridge' in window);
    expect(await page.evaluate(() => (window as any).bridge.call('audio:getPrefs', {}))).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('Workstation link') } });
    await ctx.close();
  });

  it('enforces the CSP: inline script never runs', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    await page.goto(ws.webHost.workstationUrl);
    await page.waitForFunction(() => 'bridge' in window);
    expect(await page.evaluate(() => (window as any).inlineRan)).toBeUndefined();
    expect(violations.length).toBeGreaterThan(0);
    await page.close();
  });

  it('uses window.workstation when a preload provided it (Electron), without any HTTP call', async () => {
    const page = await browser.newPage();
    let apiCalls = 0;
    page.on('request', (r) => { if (r.url().endsWith('/api/invoke')) apiCalls++; });
    await page.addInitScript(() => {
      (window as any).workstation = { invoke: async (channel: string) => ({ ok: true, value: `ipc:${channel}` }) };
    });
    await page.goto(`${ws.webHost.origin}/`);
    await page.waitForFunction(() => 'bridge' in window);
    expect(await page.evaluate(() => (window as any).bridge.call('audio:getPrefs', {}))).toEqual({ ok: true, value: 'ipc:audio:getPrefs' });
    expect(apiCalls).toBe(0);
    await page.close();
  });
});
