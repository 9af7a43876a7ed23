/**
 * Supervisors end to end (issue 14), real Chromium on every side, one
 * signaling node with the embedded OpenID provider (the demo users file) and
 * a SQLite reporting store: the agent signs in on the workstation, works a
 * case with an audited credit and takes a live visual call; a supervisor
 * signs in to the reporting page on the node with the same provider, sees the
 * call on the team board, questions the credit, and the question appears in
 * the agent's case; the customer rates the call after it ends and the rating
 * lands in the same case. An agent's sign-in cannot open the supervisor view.
 */
import type { Page } from '@playwright/test';
import { test, expect as baseExpect, fillIdpForm, openAgentPage } from './support/call-fixtures';
import { DEMO_USERS_FILE } from '../../scripts/start';

// a loaded 2-core CI machine can take tens of seconds to run a page's script: wait for conditions generously
const expect = baseExpect.configure({ timeout: 60_000 });
import type { CaseService } from '../../src-main/cases/service';

const TELEPHONY_SECRET = 'pbx-shared-secret-0123456789';
const AGENT_ID = 'agent'; // the demo users file's agent (password demo-agent)
test.use({ callEnvOptions: { signaling: { telephonySecret: TELEPHONY_SECRET, idp: { embedded: { users: DEMO_USERS_FILE } } }, reporting: { inboxIntervalMs: 500 } } });

/** The reporting page on the node, signed in through the provider's form. */
async function signInToReporting(page: Page, signalingUrl: string, login: string, password: string): Promise<void> {
  await page.goto(`${signalingUrl}/supervisor`);
  await page.getByTestId('sv-sign-in-idp').click();
  await fillIdpForm(page, login, password);
}

test('a supervisor sees the live call, questions an audited credit, the agent\'s case shows it; the customer\'s rating lands in the case', async ({ callEnv, openCustomer, billBrowser }) => {
  test.setTimeout(240_000); // a real call on a loaded 2-core machine can take a minute to connect
  const agent = await openAgentPage(billBrowser, callEnv, { signIn: { login: AGENT_ID, password: 'demo-agent' } });
  const s: CaseService = callEnv.web.services.cases.get();
  const cu = await s.createCustomer({ name: 'Grace Hopper', phones: ['+1 415 555 2671'], account: { number: 'ACC-1906', plan: 'Fiber 1G', expectedMonthlyMinor: 69_99, currency: 'USD' } });
  const rang = await fetch(`${callEnv.signalingUrl}/telephony/contact`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TELEPHONY_SECRET}` },
    body: JSON.stringify({ ani: '(415) 555-2671', agentId: AGENT_ID, callId: 'call-1' }),
  });
  expect(rang.status).toBe(202);
  const page = agent.page;
  // the agent opens the case from the screen pop, filed under an issue category (first-contact resolution groups by it)
  const pop = page.getByTestId('screen-pop');
  await pop.getByLabel('Subject').fill('Bill higher than expected');
  await pop.getByTestId('case-category').selectOption('billing');
  await pop.getByRole('button', { name: 'New case' }).click();
  await expect(page.getByTestId('case-detail')).toHaveAttribute('data-case-id', /\d+/);
  await expect(page.getByTestId('case-detail').getByTestId('case-timeline')).toContainText('Billing');

  // the agent gives a credit over the audit threshold from the case panel
  const credit = page.getByTestId('credit-form');
  await credit.locator('input[name="amount"]').fill('300');
  await credit.locator('input[name="reason"]').fill('duplicate March charge');
  await credit.getByRole('button', { name: 'Issue credit' }).click();
  await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-state', 'audited');

  // and takes a live visual call
  const url = await agent.newInvite();
  const customer = await openCustomer(url);
  await customer.startCamera();
  await agent.waitConnected(90_000);
  await s.reporting!.outbox.whenIdle();

  // the supervisor signs in to the reporting page on the signaling node
  const supCtx = await billBrowser.newContext();
  const sup = await supCtx.newPage();
  await signInToReporting(sup, callEnv.signalingUrl, 'supervisor', 'demo-supervisor');
  await expect(sup.getByText('Signed in as Demo Supervisor')).toBeVisible();
  // the code and state are gone from the address bar; the token never was in it
  expect(sup.url()).toBe(`${callEnv.signalingUrl}/supervisor`);
  const row = sup.getByTestId('board').locator(`tr[data-agent="${AGENT_ID}"]`);
  await expect(row).toHaveAttribute('data-status', 'on_call');
  await expect(row).toContainText('On a call');
  await expect(row).not.toContainText('Grace');

  // the audit queue holds the credit; the supervisor questions it with a note
  await sup.getByTestId('tab-audit').click();
  const item = sup.getByTestId('audit').locator('tr', { hasText: 'duplicate March charge' });
  await expect(item).toContainText(AGENT_ID);
  await item.getByRole('textbox').fill('Was the duplicate confirmed on the bill?');
  await item.getByRole('button', { name: 'Question' }).click();
  await expect(sup.getByTestId('reviewed')).toContainText('questioned');

  // the question reaches the agent's open case
  const review = page.getByTestId('case-detail').getByTestId('case-timeline').locator('li[data-type="credit_review"]');
  await expect(review).toContainText('Supervisor supervisor questioned the credit');
  await expect(review).toContainText('Was the duplicate confirmed on the bill?');

  // the dashboards show the day, without customer data
  await sup.getByTestId('tab-dashboards').click();
  await expect(sup.getByTestId('tiles')).toContainText('Contacts');
  await expect(sup.getByTestId('kpi-table')).toContainText('1');
  await expect(sup.locator('.sv-chart canvas').first()).toBeVisible();
  await expect(sup.locator('body')).not.toContainText('Grace');

  // the agent hangs up; the customer rates the call with one tap and a comment
  await page.getByTestId('end-call').click();
  await expect(customer.page.getByTestId('survey')).toBeVisible();
  await customer.page.getByTestId('survey-5').click();
  await customer.page.getByTestId('survey-comment').fill('Fixed while I watched');
  await customer.page.getByTestId('survey-send').click();
  await expect(customer.page.getByTestId('survey-thanks')).toBeVisible();
  await expect(page.getByTestId('case-detail').getByTestId('case-timeline').locator('li[data-type="csat"]')).toContainText('5 of 5');

  // the session's link-to-first-frame time reached the dashboards, and the contact is counted under its category
  await sup.getByRole('combobox', { name: 'By' }).selectOption('category');
  await sup.getByRole('button', { name: 'Apply' }).click();
  await expect(sup.getByTestId('tile-visual')).toHaveAttribute('data-first-frame-n', '1');
  await expect(sup.getByTestId('tile-visual')).toHaveAttribute('data-first-frame-p50', /^\d+$/);
  await expect(sup.getByTestId('kpi-table')).toContainText('billing');
  await supCtx.close();
  await agent.context.close();
});

test('an agent\'s sign-in cannot open the supervisor view; it shows the agent\'s own numbers', async ({ callEnv, billBrowser }) => {
  const ctx = await billBrowser.newContext();
  const p = await ctx.newPage();
  await signInToReporting(p, callEnv.signalingUrl, AGENT_ID, 'demo-agent');
  await expect(p.getByText('Signed in as Demo Agent')).toBeVisible();
  await expect(p.getByTestId('mine')).toContainText('Today');
  for (const tab of ['board', 'audit', 'dashboards']) {
    await p.getByTestId(`tab-${tab}`).click();
    await expect(p.getByTestId('sv-error')).toHaveText('The supervisor view needs the supervisor role.');
  }
  await ctx.close();
});
