/**
 * Screen pop end to end: a PBX calls the signaling server's telephony
 * webhook; the agent's workstation (web host, real Chromium) pops the caller
 * from the local case cache — customer, open case, history with thumbnails —
 * or, for an unknown number, a new-customer form prefilled with it.
 */
import { test, expect } from './support/call-fixtures';
import type { CallEnv } from './support/call-env';
import type { CaseService } from '../../src-main/cases/service';

const TELEPHONY_SECRET = 'pbx-shared-secret-0123456789';
const AGENT_ID = 'agent-e2e';
test.use({ callEnvOptions: { signaling: { telephonySecret: TELEPHONY_SECRET }, workstation: { agentId: AGENT_ID } } });

// 4×3 PNG (a real image, so the thumbnail must decode in the browser).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAGElEQVR4nGP4z8DwHwyBDAYGBgYGBgYGAHnIBf+CkFd8AAAAAElFTkSuQmCC', 'base64');

function cases(env: CallEnv): CaseService {
  return env.web.services.cases.get();
}

async function ring(env: CallEnv, ani: string, callId = 'call-1'): Promise<number> {
  const res = await fetch(`${env.signalingUrl}/telephony/contact`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TELEPHONY_SECRET}` },
    body: JSON.stringify({ ani, agentId: AGENT_ID, callId }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { delivered: number }).delivered;
}

test.describe('screen pop', () => {
  test('a known number pops the right customer, open case and history with thumbnails', async ({ callEnv, agent }) => {
    const s = cases(callEnv);
    // Another customer, to show the pop picks the right one.
    await s.createCustomer({ name: 'Someone Else', phones: ['+1 212 555 0100'] });
    const cu = await s.createCustomer({ name: 'Grace Hopper', phones: ['+1 415 555 2671'], account: { number: 'ACC-1906', plan: 'Fiber 1G', expectedMonthlyMinor: 69_99, currency: 'USD' } });
    const c = await s.createCase({ customerId: cu.id, accountId: cu.accounts[0]!.id, subject: 'Bill higher than expected' });
    await s.addNote(c.id, 'Customer says March was billed twice. 請求書に二重請求');
    const still = await s.putEvidence(c.id, 'image/png', PNG);
    await s.appendEvent(c.id, { type: 'snapshot', sha256: still.sha256, mime: 'image/png', width: 4, height: 3 });

    expect(await ring(callEnv, '(415) 555-2671')).toBe(1);

    const page = agent.page;
    const pop = page.getByTestId('screen-pop');
    await expect(pop).toBeVisible();
    await expect(page.getByTestId('pop-source')).toHaveAttribute('data-source', 'telephony');
    await expect(page.getByTestId('pop-customer-name')).toHaveText('Grace Hopper');
    await expect(pop.getByTestId('pop-account')).toContainText('ACC-1906');
    await expect(pop.getByTestId('pop-account')).toContainText('$69.99');
    await expect(pop.getByTestId('pop-open-cases')).toContainText('Bill higher than expected');
    const timeline = pop.getByTestId('case-timeline');
    await expect(timeline.locator('li[data-type="note"]')).toContainText('billed twice');
    // The past still shows as a decoded thumbnail.
    const thumb = timeline.locator(`img[data-sha256="${still.sha256}"]`);
    await expect(thumb).toBeVisible();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(4);
    // The open case is ready for work.
    await expect(page.getByTestId('case-detail')).toHaveAttribute('data-case-id', String(c.id));

    // Work the case from the panel: a note, a credit above the audit threshold, a dispatch.
    await page.getByTestId('note-input').fill('Refund agreed for the duplicate line');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect(page.getByTestId('case-detail').getByTestId('case-timeline').locator('li[data-type="note"]').first()).toContainText('Refund agreed');

    const credit = page.getByTestId('credit-form');
    await expect(credit.getByTestId('credit-limits')).toContainText('$500.00');
    await credit.locator('input[name="amount"]').fill('300');
    await credit.locator('input[name="reason"]').fill('duplicate March charge');
    await credit.getByRole('button', { name: 'Issue credit' }).click();
    await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-state', 'audited');
    await credit.locator('input[name="amount"]').fill('900');
    await credit.locator('input[name="reason"]').fill('outage week');
    await credit.getByRole('button', { name: 'Issue credit' }).click();
    await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-state', 'needs');
    expect((await s.auditLog(c.id)).map((a) => a.amountMinor)).toEqual([300_00]);

    const disp = page.getByTestId('disposition-form');
    await disp.getByLabel('Technician dispatch').check();
    await disp.locator('textarea[name="summary"]').fill('ONT has no light');
    await disp.locator('input[name="part-0"]').fill('ONT (GPON)');
    await disp.getByRole('button', { name: 'Save disposition' }).click();
    await expect(page.getByTestId('case-detail')).toHaveAttribute('data-status', 'dispatched');
    const last = (await s.history(c.id))[0]!.body;
    expect(last).toEqual({ type: 'disposition', disposition: { outcome: 'technician_dispatch', summary: 'ONT has no light', partsAndTools: [{ item: 'ONT (GPON)', qty: 1 }] } });

    // Search finds the case from a Japanese word in a note.
    await page.getByTestId('case-search').fill('二重請求');
    await page.getByTestId('case-search').press('Enter');
    await expect(page.getByTestId('case-search-hits')).toContainText('Grace Hopper');
  });

  test('an unknown number opens the new-customer form prefilled with the number', async ({ callEnv, agent }) => {
    expect(await ring(callEnv, '212-555-0142', 'call-2')).toBe(1);
    const page = agent.page;
    const form = page.getByTestId('new-customer-form');
    await expect(form).toBeVisible();
    await expect(form.locator('input[name="phone"]')).toHaveValue('+12125550142');
    await form.locator('input[name="name"]').fill('Katherine Johnson');
    await form.locator('input[name="subject"]').fill('No dial tone');
    await form.getByRole('button', { name: 'Add customer and open a case' }).click();
    await expect(page.getByTestId('pop-customer-name')).toHaveText('Katherine Johnson');
    await expect(page.getByTestId('case-detail')).toContainText('No dial tone');
    expect((await cases(callEnv).lookupByAni('+12125550142')).customer?.name).toBe('Katherine Johnson');
  });
});
