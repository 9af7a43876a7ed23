/**
 * The first visual call, end to end, in real Chromium: the workstation UI in
 * the web host, the customer page in a second context with a fake camera
 * showing a rendered bill, the real signaling server in between.
 */
import { test, expect } from './support/call-fixtures';

test.describe('visual call', () => {
  test('customer camera reaches the agent live, audio flows both ways, hang-up ends both sides', async ({ agent, openCustomer }) => {
    const invite = await agent.newInvite();
    expect(invite).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/join\/[A-Za-z0-9_-]{22,}/);
    await expect(agent.page.getByTestId('invite-qr')).toBeVisible();

    const customer = await openCustomer(`${invite}?page=${encodeURIComponent('/billing/october')}&ref=CASE-77`);
    await expect(customer.page.getByTestId('consent')).toBeVisible();
    await customer.startCamera();
    await agent.waitConnected();
    await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');

    // Context packet reached the agent.
    const ctx = agent.page.getByTestId('customer-context');
    await expect(ctx.locator('[data-field="page"] dd')).toHaveText('/billing/october');
    await expect(ctx.locator('[data-field="ref"] dd')).toHaveText('CASE-77');
    await expect(ctx.locator('[data-field="browser"] dd')).toContainText('Chrome');
  });
});
