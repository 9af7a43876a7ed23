/**
 * Sign-in and supervisor approval end to end, in Debian's Chromium: one
 * signaling node with the embedded OpenID provider (a temp users file), two
 * web-hosted workstations (the agent's and the supervisor's, each its own
 * main process services and case cache), each page signing in through the
 * provider's real sign-in form. The agent asks for a 600 credit above the
 * 500 limit; the supervisor sees it live and approves (or declines, or lets
 * it expire); the credit lands with the approval in the case and the audit
 * log only when approved. An approval given while the agent's socket is down
 * (reconnects refused for a while) lands once the socket is back: the
 * workstation asks for the request's status on its welcome.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { startSignalingServer, type SignalingServer } from '../../signaling-server/server';
import { WORKSTATION_CLIENT_ID } from '../../signaling-server/idp/provider';
import { createLogger } from '../../src-main/log';
import { startWebWorkstation, type WebWorkstation } from '../../src-main/web-host/workstation';
import { ensureBuilt, STATIC_DIR } from './support/call-env';
import { writeUsersFile } from '../integration/auth/support';

const TELEPHONY_SECRET = 'pbx-shared-secret-0123456789';

interface Env {
  signaling: SignalingServer;
  agent: WebWorkstation;
  supervisor: WebWorkstation;
  close(): Promise<void>;
}

async function startEnv(requestTtlSec?: number): Promise<Env> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'va-e2e-approvals-'));
  const users = await writeUsersFile(dir);
  const signaling = await startSignalingServer({
    secret: randomBytes(32).toString('base64url'), port: 0, host: '127.0.0.1', staticDir: STATIC_DIR, log: () => {},
    telephonySecret: TELEPHONY_SECRET,
    idp: { embedded: { users } },
    ...(requestTtlSec ? { approvals: { requestTtlSec } } : {}),
  });
  const quiet = createLogger({ level: 'error', sink: () => {} });
  const ws = (name: string) => startWebWorkstation({
    config: { dataDir: join(dir, name), webHostPort: 0, signalingUrl: signaling.url, oidc: { issuer: signaling.idp!.issuer, clientId: WORKSTATION_CLIENT_ID } },
    staticDir: STATIC_DIR, log: quiet,
  });
  const agent = await ws('agent');
  const supervisor = await ws('supervisor');
  return {
    signaling, agent, supervisor,
    async close() {
      await Promise.allSettled([agent.close(), supervisor.close()]);
      await signaling.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Open the workstation, sign in on the provider's form, and wait until the workstation shows the user. */
async function signIn(browser: Browser, ws: WebWorkstation, login: string, password: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(ws.webHost.workstationUrl);
  await expect(page.getByTestId('sign-in')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('sign-in-button').click();
  const form = page.getByTestId('idp-login');
  await expect(form).toBeVisible({ timeout: 60_000 });
  await form.locator('input[name="login"]').fill(login);
  await form.locator('input[name="password"]').fill(password);
  await form.getByRole('button').click();
  // (generous waits: the whole workstation page boots after the round trip, on a loaded CI machine)
  await expect(page.getByTestId('signed-in-user')).toHaveAttribute('data-sub', login, { timeout: 60_000 });
  // the web host's secret stayed in this tab (sessionStorage) across the provider round trip; the socket is up
  await expect(page.getByTestId('agent-status')).toHaveAttribute('data-phase', /ready|ended/, { timeout: 60_000 });
  return page;
}

async function seedAndPop(env: Env, agentPage: Page, name: string, phone: string) {
  const cases = env.agent.services.cases.get();
  const cu = await cases.createCustomer({ name, phones: [phone], account: { number: `ACC-${phone.slice(-4)}`, plan: 'Fiber', expectedMonthlyMinor: 69_99, currency: 'USD' } });
  const c = await cases.createCase({ customerId: cu.id, accountId: cu.accounts[0]!.id, subject: 'Outage credit' });
  const res = await fetch(`${env.signaling.url}/telephony/contact`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TELEPHONY_SECRET}` },
    body: JSON.stringify({ ani: phone, agentId: 'alice', callId: `call-${phone.slice(-4)}` }),
  });
  expect(res.status).toBe(202);
  await expect(agentPage.getByTestId('case-detail')).toHaveAttribute('data-case-id', String(c.id), { timeout: 30_000 });
  return c;
}

async function askForCredit(agentPage: Page, amount: string, reason: string) {
  const credit = agentPage.getByTestId('credit-form');
  await credit.locator('input[name="amount"]').fill(amount);
  await credit.locator('input[name="reason"]').fill(reason);
  await credit.getByRole('button', { name: 'Issue credit' }).click();
  await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-state', 'needs');
  await credit.getByTestId('ask-approval').click();
  await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-state', 'waiting');
  return credit;
}

// two sign-ins through the provider's pages and two workstations per test, on a loaded 2-core machine
test.describe.configure({ timeout: 300_000 });

test.describe('sign-in and supervisor approval', () => {
  let env: Env;
  test.beforeAll(async () => { env = await startEnv(); });
  test.afterAll(async () => { await env?.close(); });

  test('an agent signs in, asks for a 600 credit, a supervisor approves it live, and it lands with the approval in the case and the audit log; a declined one leaves nothing', async ({ browser }) => {
    const agentPage = await signIn(browser, env.agent, 'alice', 'alice-pw-1');
    await expect(agentPage.getByTestId('role-agent')).toBeVisible();
    await expect(agentPage.getByTestId('approval-inbox')).toHaveCount(0);
    const supPage = await signIn(browser, env.supervisor, 'sam', 'sam-pw-1');
    await expect(supPage.getByTestId('role-supervisor')).toBeVisible();
    const inbox = supPage.getByTestId('approval-inbox');
    await expect(inbox.getByTestId('approval-empty')).toBeVisible();

    const c = await seedAndPop(env, agentPage, 'Grace Hopper', '+1 415 555 2671');
    const credit = await askForCredit(agentPage, '600', 'outage week');

    // live on the supervisor's screen: case, customer, amount, reason, agent
    const req = inbox.getByTestId('approval-request');
    await expect(req).toHaveCount(1);
    await expect(req).toHaveAttribute('data-case-id', String(c.id));
    await expect(req).toContainText('Grace Hopper');
    await expect(req).toContainText('$600.00');
    await expect(req).toContainText('outage week');
    await expect(req).toContainText('Alice Agent');
    await req.getByTestId('approve').click();
    await expect(inbox.getByTestId('approval-request')).toHaveCount(0);

    // the agent's credit lands, approved by the supervisor, audited
    await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-state', 'audited');
    await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-approved-by', 'Sam Supervisor');
    const cases = env.agent.services.cases.get();
    const credits = (await cases.history(c.id)).filter((e) => e.body.type === 'credit');
    expect(credits).toHaveLength(1);
    expect(credits[0]!.agentId).toBe('alice');
    expect(credits[0]!.body).toMatchObject({ type: 'credit', amountMinor: 600_00, currency: 'USD', state: 'approved', approvedBy: 'sam', approverName: 'Sam Supervisor', audited: true });
    const audit = await cases.auditLog(c.id);
    expect(audit.map((a) => [a.amountMinor, a.approvedBy, a.agentId])).toEqual([[600_00, 'sam', 'alice']]);

    // declined: nothing is written
    await askForCredit(agentPage, '700', 'second outage');
    await expect(inbox.getByTestId('approval-request')).toContainText('$700.00');
    await inbox.getByTestId('approval-request').getByTestId('decline').click();
    await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-state', 'declined');
    expect((await cases.history(c.id)).filter((e) => e.body.type === 'credit')).toHaveLength(1);
    expect(await cases.auditLog(c.id)).toHaveLength(1);

    // the workstation's socket is down while the supervisor approves (a blip: the page's reconnects are
    // refused until we let them through): the live frame is lost; when the socket is back the
    // workstation asks for the request's status and the credit lands, once
    const sigPort = new URL(env.signaling.url).port;
    let down = true;
    await agentPage.context().routeWebSocket((u) => u.port === sigPort, (ws) => { if (down) void ws.close({ code: 1012, reason: 'blip' }); else ws.connectToServer(); });
    await askForCredit(agentPage, '650', 'third outage');
    await expect(inbox.getByTestId('approval-request')).toContainText('$650.00');
    type Call = { signalingOpen: boolean; sig: { socket: WebSocket } };
    await agentPage.evaluate(() => (window as unknown as { __agentCall: Call }).__agentCall.sig.socket.close());
    await expect.poll(() => agentPage.evaluate(() => (window as unknown as { __agentCall: Call }).__agentCall.signalingOpen)).toBe(false);
    await inbox.getByTestId('approval-request').getByTestId('approve').click();
    await expect(inbox.getByTestId('approval-request')).toHaveCount(0);
    await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-state', 'waiting');
    down = false;
    await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-state', 'audited', { timeout: 30_000 });
    await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-approved-by', 'Sam Supervisor');
    const after = (await cases.history(c.id)).filter((e) => e.body.type === 'credit');
    expect(after).toHaveLength(2);
    expect(after.find((e) => (e.body as { amountMinor?: number }).amountMinor === 650_00)?.body).toMatchObject({ state: 'approved', approvedBy: 'sam', approverName: 'Sam Supervisor' });
    expect(await cases.auditLog(c.id)).toHaveLength(2);

    // asked, then the agent takes the next caller before the supervisor decides: the credit still
    // lands in the case it was asked for (the wait is the workstation's, not the form's), and that
    // case's form shows it when the case is opened again
    await askForCredit(agentPage, '620', 'fourth outage');
    await expect(inbox.getByTestId('approval-request')).toContainText('$620.00');
    const next = await seedAndPop(env, agentPage, 'Ada Lovelace', '+1 415 555 2672');
    await inbox.getByTestId('approval-request').getByTestId('approve').click();
    const creditsOf = async (id: number) => (await cases.history(id)).filter((e) => e.body.type === 'credit');
    await expect.poll(async () => (await creditsOf(c.id)).length, { timeout: 30_000 }).toBe(3);
    expect((await creditsOf(c.id)).find((e) => (e.body as { amountMinor?: number }).amountMinor === 620_00)?.body).toMatchObject({ state: 'approved', approvedBy: 'sam' });
    expect(await creditsOf(next.id)).toHaveLength(0);
    await expect(agentPage.getByTestId('case-detail')).toHaveAttribute('data-case-id', String(next.id));
    const back = await fetch(`${env.signaling.url}/telephony/contact`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TELEPHONY_SECRET}` },
      body: JSON.stringify({ ani: '+1 415 555 2671', agentId: 'alice', callId: 'call-2671-again' }),
    });
    expect(back.status).toBe(202);
    await expect(agentPage.getByTestId('case-detail')).toHaveAttribute('data-case-id', String(c.id), { timeout: 30_000 });
    await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-state', 'audited');
    await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-approved-by', 'Sam Supervisor');

    // signing out returns to the sign-in screen
    await supPage.getByTestId('sign-out').click();
    await expect(supPage.getByTestId('sign-in')).toBeVisible();
  });

  test('a wrong password keeps the user on the provider\'s form with an error', async ({ browser }) => {
    // the workstation (its main process) holds one user's sign-in: start from signed out
    await env.agent.services.auth.signOut();
    const page = await (await browser.newContext()).newPage();
    await page.goto(env.agent.webHost.workstationUrl);
    await page.getByTestId('sign-in-button').click();
    const form = page.getByTestId('idp-login');
    await form.locator('input[name="login"]').fill('alice');
    await form.locator('input[name="password"]').fill('not-her-password');
    await form.getByRole('button').click();
    await expect(page.getByTestId('idp-error')).toBeVisible();
  });
});

test.describe('an approval request nobody answers', () => {
  let env: Env;
  // long enough for the supervisor's screen to show it first, even on a loaded machine
  test.beforeAll(async () => { env = await startEnv(10); });
  test.afterAll(async () => { await env?.close(); });

  test('expires: the agent is told, the supervisor\'s list empties, nothing is credited', async ({ browser }) => {
    const agentPage = await signIn(browser, env.agent, 'alice', 'alice-pw-1');
    const supPage = await signIn(browser, env.supervisor, 'sam', 'sam-pw-1');
    const c = await seedAndPop(env, agentPage, 'Ada Lovelace', '+1 212 555 0199');
    const credit = await askForCredit(agentPage, '600', 'outage week');
    await expect(supPage.getByTestId('approval-request')).toHaveCount(1);
    await expect(credit.getByTestId('credit-outcome')).toHaveAttribute('data-state', 'expired', { timeout: 40_000 });
    await expect(supPage.getByTestId('approval-request')).toHaveCount(0);
    const cases = env.agent.services.cases.get();
    expect((await cases.history(c.id)).filter((e) => e.body.type === 'credit')).toHaveLength(0);
    expect(await cases.auditLog(c.id)).toHaveLength(0);
  });
});
