/**
 * The real Electron app, launched by Playwright's _electron where a binary
 * exists. On the build machines it cannot (the binary downloads on first run
 * and there is no internet), and the test reports itself skipped with that
 * reason; tests/integration/main/electron-bundle.test.ts covers the wiring
 * against a stand-in electron module meanwhile.
 *
 * A packaged build can only be driven by Playwright if its
 * EnableNodeCliInspectArguments fuse is on: see electron-builder.yml for how a
 * test build flips it. This spec runs the unpackaged app (repo root), where no
 * fuse applies.
 */
import { test, expect, _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findElectronBinary } from '../../src-main/electron-binary';
import { buildElectron } from '../../scripts/build-electron';
import { startSignalingServer, type SignalingServer } from '../../signaling-server/server';

const root = resolve(import.meta.dirname, '../..');
const found = findElectronBinary(process.env, root);
const built = existsSync(join(root, 'dist', 'renderer', 'app', 'index.html'));

const skipReason = !found.ok
  ? `Electron cannot be launched here: ${found.reason}`
  : !built ? 'dist/renderer is not built: run `npm run build:web` first' : '';

test.describe('Electron workstation', () => {
  test.skip(skipReason !== '', skipReason);

  let app: ElectronApplication;
  let page: Page;
  let signaling: SignalingServer;
  let dataDir: string;

  test.beforeAll(async () => {
    if (!found.ok) return;
    await buildElectron();
    dataDir = await mkdtemp(join(tmpdir(), 'va-electron-e2e-'));
    const secret = 'e2e-agent-key-0123456789abcdef';
    signaling = await startSignalingServer({ secret, port: 0, log: () => {} });
    app = await electron.launch({
      executablePath: found.binary,
      args: [root],
      env: { ...process.env, VISUAL_ASSIST_DATA: dataDir, VISUAL_ASSIST_SIGNALING_URL: signaling.url, VISUAL_ASSIST_AGENT_KEY: secret },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    await signaling?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('loads the workstation from app://workstation with no Node in the page', async () => {
    expect(page.url()).toBe('app://workstation/');
    expect(await page.evaluate(() => [typeof (globalThis as any).require, typeof (globalThis as any).process, typeof (globalThis as any).Buffer])).toEqual(['undefined', 'undefined', 'undefined']);
    expect(await page.evaluate(() => Object.keys((window as any).workstation))).toEqual(['invoke']);
  });

  test('answers contract calls over IPC and refuses unknown channels', async () => {
    const cfg = await page.evaluate(() => (window as any).workstation.invoke('app:getSessionConfig', {}));
    expect(cfg).toMatchObject({ ok: true, value: { host: 'electron', signalingUrl: signaling.url } });
    expect(await page.evaluate(() => (window as any).workstation.invoke('fs:read', {}))).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  test('blocks navigation away from the app and opens no new windows', async () => {
    // A navigation that got through would fire framenavigated; a blocked one fires nothing.
    const navigated = page.waitForEvent('framenavigated', { timeout: 1500 }).then(() => true, () => false);
    await page.evaluate(() => { location.href = 'https://example.com/'; });
    expect(await navigated).toBe(false);
    expect(page.url()).toBe('app://workstation/');
    await page.evaluate(() => window.open('https://example.com/', '_blank'));
    expect(app.windows()).toHaveLength(1);
  });

  test('default-denies permissions outside the call set', async () => {
    const states = await page.evaluate(async () => Promise.all(
      (['geolocation', 'notifications', 'midi'] as PermissionName[]).map(async (name) => (await navigator.permissions.query({ name })).state),
    ));
    expect(states).toEqual(['denied', 'denied', 'denied']);
  });
});
