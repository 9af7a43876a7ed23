/**
 * Playwright fixtures for anything that needs a live call. HOW TO USE:
 *
 *   import { test, expect } from './support/call-fixtures';
 *
 *   test('my capability', async ({ callEnv, agent, openCustomer }) => {
 *     const invite = await agent.newInvite();            // clicks "New visual session", returns the link
 *     const customer = await openCustomer(invite);      // 2nd browser context, fake bill camera
 *     await customer.startCamera();                     // consent -> camera + mic -> join
 *     await agent.waitConnected();                      // ICE connected and the first frame rendered
 *     // agent.page / customer.page are ordinary Playwright pages; the live call objects are
 *     // window.__agentCall (AgentCall) and window.__customerCall (CustomerCall), e.g.
 *     //   await agent.page.evaluate(() => window.__agentCall.messenger.send('annotation', {...}))
 *   });
 *
 * Fixtures:
 *  - `billBrowser` (worker): Debian Chromium with fake media; the camera shows a rendered bill
 *    (scripts/make-fake-camera.ts -> tests/.tmp/fake-camera/bill.y4m), audio is Chromium's beep.
 *  - `callEnvOptions` (option): passed to startCallEnv, e.g.
 *    `test.use({ callEnvOptions: { signaling: { iceServers: [...] } } })`.
 *  - `callEnv` (test): signaling server + web-hosted workstation in-process on port 0 (call-env.ts).
 *  - `agent` (test): the workstation UI open in its own context; helpers below.
 *  - `openCustomer(url, opts?)` (test): the customer page in a fresh context; `opts.relayOnly` forces
 *    TURN (iceTransportPolicy 'relay'), `opts.viewport`/`opts.userAgent` emulate a phone.
 */
import { test as base, expect, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { chromium } from '@playwright/test';
import { makeFakeCamera } from '../../../scripts/make-fake-camera';
import { CHROMIUM_ARGS, chromiumPath } from './chromium';
import { startCallEnv, type CallEnv, type CallEnvOptions } from './call-env';

export { expect };

/** Launch Debian Chromium with fake media; `y4m` makes the fake camera show that clip. */
export async function launchChromiumWithCamera(y4m?: string, extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...(y4m ? [`--use-file-for-fake-video-capture=${y4m}`] : []), ...extraArgs],
  });
}

export interface AgentHandle {
  page: Page;
  context: BrowserContext;
  /** Click "New visual session" and return the invite link shown. */
  newInvite(): Promise<string>;
  /** Wait for phase 'connected' and a rendered remote frame. */
  waitConnected(timeoutMs?: number): Promise<void>;
  phase(): Promise<string>;
  /** data-* figures of the connection panel (numbers; NaN where empty). */
  figures(): Promise<Record<string, number>>;
}

export interface CustomerHandle {
  page: Page;
  context: BrowserContext;
  /** From the consent screen: press "Start with camera". */
  startCamera(): Promise<void>;
  phase(): Promise<string>;
  close(): Promise<void>;
}

export interface OpenCustomerOptions {
  relayOnly?: boolean;
  viewport?: { width: number; height: number };
  userAgent?: string;
  locale?: string;
}

type TestFixtures = {
  callEnvOptions: CallEnvOptions;
  callEnv: CallEnv;
  agent: AgentHandle;
  openCustomer: (url: string, opts?: OpenCustomerOptions) => Promise<CustomerHandle>;
};
type WorkerFixtures = { billBrowser: Browser };

export async function newContext(browser: Browser, opts: OpenCustomerOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    permissions: ['camera', 'microphone'],
    ...(opts.viewport ? { viewport: opts.viewport } : {}),
    ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
    ...(opts.locale ? { locale: opts.locale } : {}),
  });
  if (opts.relayOnly) await context.addInitScript(() => localStorage.setItem('va.iceTransportPolicy', 'relay'));
  return context;
}

/** Console lines of every page opened through these helpers (printed when a test fails). */
export const pageLogs: string[] = [];
function captureConsole(page: Page, who: string) {
  const t0 = Date.now();
  page.on('console', (m) => { pageLogs.push(`${who} +${Date.now() - t0}ms ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => { pageLogs.push(`${who} +${Date.now() - t0}ms pageerror: ${e.message}`); });
}

/** A numeric data-* attribute of an element (NaN when absent): the UI exposes its live figures this way. */
export const num = async (page: Page, testId: string, attr: string): Promise<number> => Number(await page.getByTestId(testId).getAttribute(attr));

/** Sign in on the node's embedded provider's form (the page is on it). */
export async function fillIdpForm(page: Page, login: string, password: string): Promise<void> {
  const form = page.getByTestId('idp-login');
  await expect(form).toBeVisible({ timeout: 60_000 });
  await form.locator('input[name="login"]').fill(login);
  await form.locator('input[name="password"]').fill(password);
  await form.getByRole('button').click();
}

/** The workstation page; with `signIn`, the node has a sign-in provider and the agent signs in on its form first. */
export async function openAgentPage(browser: Browser, env: CallEnv, opts: OpenCustomerOptions & { signIn?: { login: string; password: string } } = {}): Promise<AgentHandle> {
  const context = await newContext(browser, opts);
  await context.grantPermissions(['camera', 'microphone', 'clipboard-read', 'clipboard-write'], { origin: new URL(env.workstationUrl).origin });
  const page = await context.newPage();
  captureConsole(page, 'agent');
  await page.goto(env.workstationUrl);
  if (opts.signIn) {
    await page.getByTestId('sign-in-button').click({ timeout: 60_000 });
    await fillIdpForm(page, opts.signIn.login, opts.signIn.password);
    await expect(page.getByTestId('signed-in-user')).toHaveAttribute('data-sub', opts.signIn.login, { timeout: 60_000 });
  }
  const status = page.getByTestId('agent-status');
  await expect(status).toHaveAttribute('data-phase', /ready|ended/, { timeout: 30_000 });
  return {
    page,
    context,
    async newInvite() {
      await page.getByTestId('new-session').click();
      const input = page.getByTestId('invite-url');
      await expect(input).toHaveValue(/\/join\//);
      return input.inputValue();
    },
    async waitConnected(timeoutMs = 20_000) {
      await expect(status).toHaveAttribute('data-phase', 'connected', { timeout: timeoutMs });
      await page.waitForFunction(() => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
        return !!v && v.videoWidth > 0 && v.readyState >= 2;
      }, undefined, { timeout: timeoutMs });
    },
    phase: async () => (await status.getAttribute('data-phase')) ?? '',
    async figures() {
      return page.getByTestId('call-figures').evaluate((el) => {
        const out: Record<string, number> = {};
        for (const [k, v] of Object.entries((el as HTMLElement).dataset)) out[k] = v === '' || v === undefined ? NaN : Number(v);
        return out;
      });
    },
  };
}

export async function openCustomerPage(browser: Browser, url: string, opts: OpenCustomerOptions = {}): Promise<CustomerHandle> {
  const context = await newContext(browser, opts);
  const page = await context.newPage();
  captureConsole(page, 'customer');
  await page.goto(url);
  const root = page.getByTestId('customer-root');
  return {
    page,
    context,
    async startCamera() {
      await page.getByTestId('start-camera').click();
    },
    phase: async () => (await root.getAttribute('data-phase')) ?? '',
    close: () => context.close(),
  };
}

/**
 * On failure: the WebRTC state of a page's live call (signaling/ICE/DTLS states, candidates
 * gathered and received, candidate pairs) — what a "stuck connecting" needs to be explained.
 */
export async function dumpPeer(page: Page, who: string): Promise<string> {
  try {
    return `${who}: ` + await page.evaluate(async () => {
      const w = window as unknown as { __agentCall?: { pc: RTCPeerConnection | null }; __customerCall?: { pc: RTCPeerConnection | null } };
      const pc = (w.__agentCall ?? w.__customerCall)?.pc;
      if (!pc) return 'no peer';
      const cands = (sdp: string | undefined) => (sdp ?? '').split('\r\n').filter((l) => l.startsWith('a=candidate')).length;
      const pairs: string[] = [];
      const local: string[] = [];
      const remote: string[] = [];
      (await pc.getStats()).forEach((r: any) => {
        if (r.type === 'candidate-pair') pairs.push(`${r.state}${r.nominated ? '*' : ''} req=${r.requestsSent}/${r.requestsReceived} resp=${r.responsesSent}/${r.responsesReceived}`);
        if (r.type === 'local-candidate') local.push(`${r.candidateType}:${r.address}:${r.port}/${r.protocol}`);
        if (r.type === 'remote-candidate') remote.push(`${r.candidateType}:${r.address}:${r.port}/${r.protocol}`);
      });
      return JSON.stringify({
        signaling: pc.signalingState, ice: pc.iceConnectionState, conn: pc.connectionState, gathering: pc.iceGatheringState,
        localSdpCands: cands(pc.localDescription?.sdp), remoteSdpCands: cands(pc.remoteDescription?.sdp),
        local, remote, pairs,
        transceivers: pc.getTransceivers().map((t) => `${t.mid}:${t.direction}/${t.currentDirection}:${t.receiver.track.kind}`),
      });
    });
  } catch (err) {
    return `${who}: dump failed: ${(err as Error).message}`;
  }
}

/** Pages of the running test, so the first fixture torn down after a failure can dump every side at once. */
const livePages: Array<[Page, string]> = [];

async function attachPeerDump(testInfo: TestInfo) {
  const pages = livePages.splice(0);
  if (testInfo.status === testInfo.expectedStatus || pages.length === 0) return;
  const lines: string[] = [];
  for (const [p, who] of pages) if (!p.isClosed()) lines.push(await dumpPeer(p, who));
  await testInfo.attach('peer-state', { body: lines.join('\n'), contentType: 'text/plain' });
  console.log(`--- peer state (${testInfo.title}) ---\n${lines.join('\n')}`);
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  billBrowser: [async ({}, use) => {
    const y4m = await makeFakeCamera();
    const browser = await launchChromiumWithCamera(y4m);
    await use(browser);
    await browser.close();
  }, { scope: 'worker' }],
  callEnvOptions: [{}, { option: true }],
  callEnv: async ({ callEnvOptions }, use, testInfo) => {
    pageLogs.length = 0;
    const env = await startCallEnv(callEnvOptions);
    await use(env);
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('page-console', { body: pageLogs.join('\n'), contentType: 'text/plain' });
      console.log(`--- page console (${testInfo.title}) ---\n${pageLogs.slice(-80).join('\n')}`);
      await testInfo.attach('signaling-log', { body: env.signalingLog.map((r) => JSON.stringify(r)).join('\n'), contentType: 'text/plain' });
    }
    await env.close();
  },
  agent: async ({ billBrowser, callEnv }, use, testInfo) => {
    const a = await openAgentPage(billBrowser, callEnv);
    livePages.push([a.page, 'agent']);
    await use(a);
    await attachPeerDump(testInfo);
    await a.context.close();
  },
  openCustomer: async ({ billBrowser }, use, testInfo) => {
    const opened: CustomerHandle[] = [];
    await use(async (url, opts) => {
      const c = await openCustomerPage(billBrowser, url, opts);
      opened.push(c);
      livePages.push([c.page, `customer${opened.length}`]);
      return c;
    });
    await attachPeerDump(testInfo);
    for (const c of opened) await c.context.close().catch(() => {});
  },
});
