/**
 * Managed settings in the UI: the web-hosted workstation (same services and
 * router as Electron) runs with a policy file; in real Chromium an enforced
 * setting is read-only with "Managed by your organisation" (English and
 * Japanese), a user-settable one can be changed, and main refuses a write to
 * the enforced one even when the page sends it directly.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { readPolicyLayers } from '../../src-main/policy/sources';
import { startWebWorkstation, type WebWorkstation } from '../../src-main/web-host/workstation';
import { createLogger } from '../../src-main/log';
import { mintAgentToken } from '../../signaling-server/auth';

// The shared build machine is often loaded; waits are on conditions, this only bounds them.
test.setTimeout(180_000);

let web: WebWorkstation;
let policyFile: string;

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'managed-ui-'));
  policyFile = join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify({
    UpdateMode: 'none', AudioEchoCancellation: false, Recommended: { LogLevel: 'warn' },
    // Chromium's fake devices: three microphones, one camera (fake_device_0).
    AllowedMicrophones: ['Fake Audio Input 2'], AllowedCameras: ['Document Camera*'], OcrLanguages: ['jpn'],
  }));
  const policy = readPolicyLayers({ platform: 'linux', env: { VISUAL_ASSIST_POLICY_FILE: policyFile }, linuxPolicyFile: join(dir, 'no-system-file.json'), dataDir: null });
  web = await startWebWorkstation({
    config: { dataDir: join(dir, 'data'), webHostPort: 0, signalingUrl: 'http://127.0.0.1:9' },
    // The signaling server is not needed to show settings; tokens are minted as the start script does.
    deps: { policy, mintAgentToken: (id, o) => mintAgentToken('managed-settings-e2e-secret-0123456789', id, o) },
    log: createLogger({ level: 'error' }),
  });
});
test.afterAll(async () => { await web?.close(); });

const row = (page: import('@playwright/test').Page, key: string) => page.locator(`[data-testid="setting"][data-key="${key}"]`);

test('an enforced setting is read-only with the managed mark; a user setting can be changed; main refuses the enforced write', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(web.webHost.workstationUrl);
  await page.getByTestId('settings-panel').locator('summary').click();

  const mode = row(page, 'update.mode');
  await expect(mode).toHaveAttribute('data-enforced', 'true');
  await expect(mode.locator('select')).toBeDisabled();
  await expect(mode.locator('select')).toHaveValue('none');
  await expect(mode.getByTestId('managed-mark')).toHaveText('Managed by your organisation');
  await expect(mode.getByTestId('managed-mark')).toHaveAttribute('title', new RegExp(policyFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const echo = row(page, 'audio.echoCancellation');
  await expect(echo.locator('input[type=checkbox]')).toBeDisabled();
  await expect(echo.locator('input[type=checkbox]')).not.toBeChecked();

  // Recommended: the organisation's default, which the user may change.
  const level = row(page, 'log.level');
  await expect(level).toHaveAttribute('data-source', 'recommended');
  await expect(level.getByTestId('managed-mark')).toHaveCount(0);
  await level.locator('select').selectOption('debug');
  await expect(level).toHaveAttribute('data-source', 'user');
  const noise = row(page, 'audio.noiseSuppression');
  // A controlled checkbox: it changes when main has stored the value, so click and wait for the round trip.
  await noise.locator('input[type=checkbox]').click();
  await expect(noise).toHaveAttribute('data-source', 'user');
  await expect(noise.locator('input[type=checkbox]')).not.toBeChecked();

  // UpdateMode none: the updates section says so and offers no check.
  const updates = page.getByTestId('updates');
  await expect(updates).toHaveAttribute('data-state', 'disabled');
  await expect(updates).toContainText('Updates are turned off by your organisation.');
  await expect(updates.getByRole('button')).toHaveCount(0);
  // Collect diagnostics writes the archive and says where.
  await page.getByTestId('collect-diagnostics').click();
  await expect(page.getByTestId('diagnostics-result')).toContainText(/Saved for IT: .*visual-assist-diagnostics-.*\.tar\.gz/);

  // AllowedMicrophones / AllowedCameras: only the allowed microphone is listed and opened, whatever is asked; no allowed camera, no camera.
  const devices = await page.evaluate(async () => {
    const md = navigator.mediaDevices;
    const s = await md.getUserMedia({ audio: true });
    const opened = s.getAudioTracks()[0]!.label;
    s.getTracks().forEach((t) => t.stop());
    const first = (await md.enumerateDevices()).find((d) => d.kind === 'audioinput');
    const listed = (await md.enumerateDevices()).filter((d) => d.kind !== 'audiooutput').map((d) => d.label);
    const camera = await md.getUserMedia({ video: true }).then(() => 'opened', (e: Error) => `${e.name}: ${e.message}`);
    return { opened, listed, camera, first: first?.label };
  });
  expect(devices).toEqual({ opened: 'Fake Audio Input 2', listed: ['Fake Audio Input 2'], camera: expect.stringMatching(/^NotFoundError: .*AllowedCameras/), first: 'Fake Audio Input 2' });
  // OcrLanguages: the OCR panel offers Japanese only.
  await expect(page.getByTestId('ocr-lang').locator('option')).toHaveCount(1);
  await expect(page.getByTestId('ocr-lang')).toHaveValue('jpn');

  // A page that bypasses the disabled control is refused by main.
  const refused = await page.evaluate(async () => {
    const k = sessionStorage.getItem('workstation.k');
    const res = await fetch('/api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${k}` }, body: JSON.stringify({ channel: 'settings:set', input: { key: 'update.mode', value: 'default' } }) });
    return res.json();
  });
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(web.services.settings.effective().get('update.mode')).toBe('none');
  // Credit limits are never user-settable, enforced or not.
  expect((await web.router.dispatch('settings:set', { key: 'credits.limitWithoutApproval', value: 1_000_000 }, { host: 'web' }))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  await context.close();
});

test('the managed mark in Japanese', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await page.goto(web.webHost.workstationUrl);
  await page.getByTestId('language').selectOption('ja');
  await page.getByTestId('settings-panel').locator('summary').click();
  await expect(row(page, 'update.mode').getByTestId('managed-mark')).toHaveText('組織によって管理されています');
  await expect(row(page, 'update.mode').locator('label')).toHaveText('更新モード');
  await context.close();
});
