/**
 * Bill evidence end to end, real parts only: Debian Chromium for both ends,
 * the customer's fake camera showing a rendered phone bill (y4m from the
 * corpus generator), the web-hosted workstation with its real SQLite case
 * cache and the OCR service (tesseract.js in a Node worker thread).
 *
 * The agent takes a full-resolution still (captured on the customer device
 * and sent in checked chunks), OCR reads the total; the customer then sends
 * a photo from "gallery" — a second invoice for the same period under another
 * account number — and the fraud finding appears with evidence boxes on both
 * stills; escalating it, the stills, OCR results and disposition are in the case.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { test as base, expect, launchChromiumWithCamera, openAgentPage, openCustomerPage, type AgentHandle } from './support/call-fixtures';
import type { CallEnv } from './support/call-env';
import { DEFAULT_CORPUS_DIR, makeCorpus } from '../../scripts/make-bill-corpus';
import type { BillTruth } from '../../scripts/bill-corpus/truth';

const TELEPHONY_SECRET = 'pbx-ocr-secret-0123456789abcdef';
const AGENT_ID = 'agent-ocr';
const CAMERA_DIR = join(DEFAULT_CORPUS_DIR, 'camera');

const test = base.extend<{ agentOcr: AgentHandle }, { ocrBrowser: Browser }>({
  ocrBrowser: [async ({}, use) => {
    await makeCorpus({ log: () => {} });
    const browser = await launchChromiumWithCamera(join(CAMERA_DIR, 'us-phone.y4m'));
    await use(browser);
    await browser.close();
  }, { scope: 'worker' }],
  agentOcr: async ({ ocrBrowser, callEnv }, use) => {
    const a = await openAgentPage(ocrBrowser, callEnv);
    await use(a);
    await a.context.close();
  },
});
test.use({ callEnvOptions: { signaling: { telephonySecret: TELEPHONY_SECRET }, workstation: { agentId: AGENT_ID } } });

async function ring(env: CallEnv, ani: string): Promise<void> {
  const res = await fetch(`${env.signalingUrl}/telephony/contact`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TELEPHONY_SECRET}` },
    body: JSON.stringify({ ani, agentId: AGENT_ID, callId: 'ocr-call-1' }),
  });
  expect(res.status).toBe(202);
}

test('full-resolution still -> OCR total; gallery photo -> split-account fraud finding with boxes; all saved in the case', async ({ callEnv, agentOcr: agent, ocrBrowser }) => {
  // Generous waits: on a loaded 2-core CI box OCR and WebRTC slow down; every wait ends on an event.
  test.setTimeout(420_000);
  const truth = JSON.parse(readFileSync(join(CAMERA_DIR, 'truth.json'), 'utf8')) as { camera: BillTruth; gallery: BillTruth };
  const cases = callEnv.web.services.cases.get();
  const cu = await cases.createCustomer({ name: 'Ada Customer', phones: ['+1 415 555 0142'], account: { number: truth.camera.accountNumber!, plan: 'Unlimited Plus', expectedMonthlyMinor: 4500, currency: 'USD' } });
  const kase = await cases.createCase({ customerId: cu.id, accountId: cu.accounts[0]!.id, subject: 'Billed twice?' });
  const page = agent.page;
  await ring(callEnv, '+14155550142');
  await expect(page.getByTestId('case-detail')).toHaveAttribute('data-case-id', String(kase.id));

  const invite = await agent.newInvite();
  const customer = await openCustomerPage(ocrBrowser, invite);
  const log: string[] = [];
  customer.page.on('console', (m) => log.push(`customer ${m.type()}: ${m.text()}`));
  page.on('console', (m) => log.push(`agent ${m.type()}: ${m.text()}`));
  await customer.startCamera();
  await agent.waitConnected(30_000);

  // 1. The agent takes a still: captured on the customer device, sent in checked chunks.
  await page.getByTestId('take-still').click();
  const first = page.getByTestId('still-thumb').first();
  await expect(first, log.join('\n')).toHaveAttribute('data-source', 'camera', { timeout: 90_000 });
  await expect(customer.page.getByTestId('still-status')).toHaveAttribute('data-state', 'sent', { timeout: 30_000 });
  const still = await first.evaluate((el) => ({ w: Number((el as HTMLElement).dataset.width), h: Number((el as HTMLElement).dataset.height) }));
  const remote = await page.getByTestId('remote-video').evaluate((v: HTMLVideoElement) => ({ w: v.videoWidth, h: v.videoHeight }));
  // The camera's own frame size (the y4m is 1920x1080), at least what the compressed stream shows.
  expect(still.w * still.h).toBeGreaterThanOrEqual(remote.w * remote.h);
  expect(still.w).toBeGreaterThanOrEqual(1280);

  // 2. OCR runs; the total appears, with its box drawn over the still.
  await expect(first).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  const fields = page.getByTestId('ocr-fields');
  await expect(fields.locator('tr[data-field="total"]')).toHaveAttribute('data-value', String(truth.camera.total));
  await expect(fields.locator('tr[data-field="accountNumber"]')).toHaveAttribute('data-value', truth.camera.accountNumber!);
  await expect(page.getByTestId('still-view')).toHaveAttribute('data-words', /^[1-9]\d+$/);
  await expect(page.getByTestId('ocr-text')).toHaveValue(/Bluewave Mobile/);
  // Differs from the expected monthly charge ($45.00) in the case cache.
  await expect(page.locator('[data-testid="finding"][data-kind="differs_from_expected"]')).toBeVisible();

  // 3. The customer sends a second bill from the gallery: same period, other account number.
  await customer.page.getByTestId('photo-input').setInputFiles(join(CAMERA_DIR, 'us-phone-twin.jpg'));
  await expect(page.getByTestId('still-thumb')).toHaveCount(2, { timeout: 90_000 });
  const second = page.getByTestId('still-thumb').nth(1);
  await expect(second).toHaveAttribute('data-source', 'file');
  await expect(second).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  const fraud = page.locator('[data-testid="finding"][data-kind="split_account_invoices"]');
  await expect(fraud).toBeVisible();
  await expect(fraud).toContainText(truth.camera.accountNumber!);
  await expect(fraud).toContainText(truth.gallery.accountNumber!);
  expect(Number(await fraud.getAttribute('data-evidence'))).toBeGreaterThanOrEqual(4);
  // Clicking the finding shows its evidence boxes on the still.
  await fraud.locator('p').click();
  await expect(page.getByTestId('still-view')).toHaveAttribute('data-highlights', /^[1-9]/);

  // 4. Escalate to security and note it: both go through the case contract.
  await fraud.getByTestId('finding-escalate').click();
  await expect(fraud.getByTestId('finding-escalate')).toHaveAttribute('data-state', 'done');
  await fraud.getByTestId('finding-note').click();
  await expect(fraud.getByTestId('finding-note')).toHaveAttribute('data-state', 'done');

  // Everything is in the case: two stills (content-addressed), two OCR results pointing at them, the note and the escalation.
  await expect.poll(async () => (await cases.getCase(kase.id)).events.filter((e) => e.body.type === 'ocr_result').length, { timeout: 15_000 }).toBe(2);
  const events = (await cases.getCase(kase.id)).events.map((e) => e.body);
  const snaps = events.filter((e) => e.type === 'snapshot');
  const ocr = events.filter((e) => e.type === 'ocr_result');
  expect(snaps).toHaveLength(2);
  expect(ocr.map((o) => o.type === 'ocr_result' && o.snapshotSha256).sort()).toEqual(snaps.map((s) => s.type === 'snapshot' && s.sha256).sort());
  const firstOcr = ocr.find((o) => o.type === 'ocr_result' && o.amounts?.some((a) => a.label === 'total'));
  expect(firstOcr && firstOcr.type === 'ocr_result' && firstOcr.amounts!.find((a) => a.label === 'total')!.amountMinor).toBe(Math.round(truth.camera.total * 100));
  expect(events.some((e) => e.type === 'note' && e.text.includes(truth.gallery.accountNumber!))).toBe(true);
  expect(events.some((e) => e.type === 'disposition' && e.disposition.outcome === 'escalated_fraud')).toBe(true);
  for (const s of snaps) if (s.type === 'snapshot') expect((await cases.getEvidence(s.sha256)).bytes.length).toBeGreaterThan(10_000);
  await customer.close();
});

test('with no case open, a still is still read and shown (nothing is saved)', async ({ callEnv, agentOcr: agent, ocrBrowser }) => {
  test.setTimeout(300_000);
  const truth = JSON.parse(readFileSync(join(CAMERA_DIR, 'truth.json'), 'utf8')) as { camera: BillTruth };
  const page = agent.page;
  const invite = await agent.newInvite();
  const customer = await openCustomerPage(ocrBrowser, invite);
  await customer.startCamera();
  await agent.waitConnected(30_000);
  await page.getByTestId('take-still').click();
  const first = page.getByTestId('still-thumb').first();
  await expect(first).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  await expect(first).toHaveAttribute('data-saved', '');
  await expect(page.getByTestId('ocr-fields').locator('tr[data-field="total"]')).toHaveAttribute('data-value', String(truth.camera.total));
  await expect(page.getByTestId('still-view')).toHaveAttribute('data-words', /^[1-9]\d+$/);
  // No case, no expected charge: no differs_from_expected finding.
  await expect(page.locator('[data-testid="finding"][data-kind="differs_from_expected"]')).toHaveCount(0);
  await customer.close();
});
