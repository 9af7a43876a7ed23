/**
 * A page in Debian's Chromium running one test harness: `entry` (a *.page.ts) bundled by
 * esbuild into an IIFE that sets `window.scenarios`, and `run(name, arg)` to call one.
 * For unit tests of browser-only code (WebRTC, encoders) that need no server and no app.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../e2e/support/chromium';

export interface HarnessPage {
  page: Page;
  run<T>(name: string, arg?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function openHarnessPage(entry: string, alias: Record<string, string> = {}): Promise<HarnessPage> {
  const dir = await mkdtemp(join(tmpdir(), 'va-harness-'));
  let browser: Browser | null = null;
  try {
    const out = join(dir, 'harness.js');
    await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', outfile: out, logLevel: 'warning', alias });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage();
    await page.goto('about:blank');
    await page.addScriptTag({ path: out });
    await page.waitForFunction(() => 'scenarios' in window);
    const b = browser;
    type Scenarios = Record<string, (a: unknown) => unknown>;
    return {
      page,
      run: <T>(name: string, arg?: unknown) =>
        page.evaluate(([n, a]) => (window as unknown as { scenarios: Scenarios }).scenarios[n as string]!(a), [name, arg] as const) as Promise<T>,
      close: async () => { await b.close(); await rm(dir, { recursive: true, force: true }); },
    };
  } catch (err) {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
