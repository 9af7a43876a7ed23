/**
 * The built customer page, served by the signaling server under its strict
 * CSP, in real Debian Chromium: it loads with zero console errors or CSP
 * violations, and its join reaches the agent over the same-origin socket.
 * Runs after `npm run build:web` (as `npm test` does); skips, saying why,
 * when the page is not built or Chromium is missing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { defaultStaticDir } from '../../../signaling-server/config/index';
import type { SignalingServer } from '../../../signaling-server/server';
import { CHROMIUM_ARGS } from '../../e2e/support/chromium';
import { agent, invite, startServer } from './harness';

const staticDir = defaultStaticDir();
const built = existsSync(join(staticDir, 'customer', 'index.html'));
const chromiumBin = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));

let browser: Browser | undefined;
let server: SignalingServer | undefined;
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('customer page in Chromium under the server\'s CSP', () => {
  test('loads with no console error or CSP violation, and "Start with camera" joins the agent\'s room', async (ctx) => {
    ctx.skip(!built, `customer page not built at ${staticDir} (run npm run build:web)`);
    ctx.skip(!chromiumBin, 'Debian chromium not installed (apt-get install -y chromium)');
    ({ server } = await startServer({ staticDir }));
    const a = await agent(server);
    const inv = await invite(a.c);
    browser = await chromium.launch({ executablePath: chromiumBin!, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
    await page.goto(inv.url);
    const start = page.getByRole('button').first();
    await start.waitFor({ timeout: 45_000 });
    // opening the page did not use the invite
    const before = await fetch(`${server.url}/join/${inv.token}/status`);
    expect(await before.json()).toEqual({ state: 'valid' });
    await start.click();
    const joined = await a.c.next('peer_joined', undefined, 45_000);
    expect(joined.member.role).toBe('customer');
    expect(joined.member.context?.deviceClass).toBe('desktop');
    expect(problems).toEqual([]);
    a.c.close();
  }, 120_000);
});
