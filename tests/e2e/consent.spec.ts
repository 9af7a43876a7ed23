/**
 * The consent step is plain HTML in the page the server sends: a customer sees it (in their
 * language) before any script runs, and a Start pressed before the page's code has arrived
 * is honoured when it does.
 */
import { expect, newContext, test } from './support/call-fixtures';

test.use({ trace: 'off' });

test('the consent step shows with scripts off, in the Accept-Language language; an unknown invite shows no consent', async ({ billBrowser, agent }) => {
  const invite = await agent.newInvite();
  const ctx = await billBrowser.newContext({ javaScriptEnabled: false, locale: 'ja-JP', extraHTTPHeaders: { 'Accept-Language': 'ja-JP,ja;q=0.9,en;q=0.5' } });
  const page = await ctx.newPage();
  await page.goto(invite);
  await expect(page.getByTestId('consent')).toBeVisible();
  await expect(page.locator('h1 .l-ja')).toBeVisible();
  await expect(page.locator('h1 .l-ja')).toHaveText('お手元の状況をサポート担当者に見せる');
  await expect(page.locator('h1 .l-en')).toBeHidden();
  await expect(page.getByTestId('start-camera')).toBeVisible();
  await ctx.close();
  // Unknown invite: the consent step stays hidden (the page's code shows the refusal).
  const ctx2 = await billBrowser.newContext({ javaScriptEnabled: false });
  const p2 = await ctx2.newPage();
  await p2.goto(invite.replace(/\/join\/[^/?]+/, '/join/AAAAAAAAAAAAAAAAAAAAAAAA'));
  await expect(p2.getByTestId('consent')).toBeHidden();
  await ctx2.close();
});

test('a Start pressed (and a language picked) before the page\'s code arrives starts the call when it does, on the socket the served page opened', async ({ billBrowser, agent }) => {
  const invite = await agent.newInvite();
  const ctx = await newContext(billBrowser);
  const page = await ctx.newPage();
  // Count the page's WebSockets (an init script runs before the served page's inline script).
  await page.addInitScript(() => {
    const Native = WebSocket;
    const made: WebSocket[] = [];
    (window as unknown as { __made: WebSocket[] }).__made = made;
    window.WebSocket = class extends Native { constructor(url: string | URL, p?: string | string[]) { super(url, p); made.push(this); } } as typeof WebSocket;
  });
  // Hold the page's scripts back until the press has happened.
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  await page.route('**/assets/*.js', async (route) => { await held; await route.continue(); });
  await page.goto(invite, { waitUntil: 'commit' });
  // A language picked before the code arrives switches the step at once, and the page keeps it.
  await page.getByTestId('language').selectOption('ja');
  await expect(page.locator('h1 .l-ja')).toBeVisible();
  await page.getByTestId('start-camera').click();
  expect(await page.evaluate(() => (window as unknown as { __vaStart?: string }).__vaStart)).toBe('camera');
  // The served page has opened the signaling socket while its code is held back.
  await expect.poll(() => page.evaluate(() => (window as unknown as { __made: WebSocket[] }).__made.map((w) => w.readyState))).toEqual([1]);
  release();
  await agent.waitConnected(30_000);
  // The call joined on that socket: no second one was opened.
  expect(await page.evaluate(() => {
    const made = (window as unknown as { __made: WebSocket[] }).__made;
    const call = (window as unknown as { __customerCall: { sig: { socket: WebSocket } | null } }).__customerCall;
    return { count: made.length, same: call.sig?.socket === made[0], open: made[0]!.readyState === 1 };
  })).toEqual({ count: 1, same: true, open: true });
  await expect(page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
  await expect(page.getByTestId('customer-status')).toHaveText('カメラを共有しています');
  // The plain-HTML step is gone once the call moved past it.
  await expect(page.locator('#consent-static')).toHaveCount(0);
  await ctx.close();
});

test('the language the customer picks on the consent step carries into the call, and every step follows a switch', async ({ agent, openCustomer }) => {
  const invite = await agent.newInvite();
  const customer = await openCustomer(invite);
  const page = customer.page;
  // Picked on the server's plain-HTML step, whether or not the page's code has bound it yet.
  await page.getByTestId('language').selectOption('ja');
  await expect(page.locator('h1 .l-ja')).toBeVisible();
  await customer.startCamera();
  await agent.waitConnected(30_000);
  const status = page.getByTestId('customer-status');
  await expect(status).toHaveAttribute('data-phase', 'connected');
  await expect(status).toHaveText('カメラを共有しています');
  await expect(page.getByTestId('hang-up')).toHaveText('通話終了');
  await expect(page.getByTestId('language')).toHaveValue('ja');
  // Switched on the live page: the page redraws in English, <html lang> follows.
  await page.getByTestId('language').selectOption('en');
  await expect(status).toHaveText('You are sharing your camera');
  await expect(page.getByTestId('mute')).toHaveText('Mute');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // ...and back, then the end of the call and its survey in Japanese.
  await page.getByTestId('language').selectOption('ja');
  await expect(page.getByTestId('hang-up')).toHaveText('通話終了');
  await agent.page.getByTestId('end-call').click();
  await expect(page.getByTestId('ended')).toContainText('担当者が通話を終了しました');
  await expect(page.getByTestId('survey')).toContainText('今回のサポートはいかがでしたか');
  await page.getByTestId('language').selectOption('en');
  await expect(page.getByTestId('survey')).toContainText('How well did we help you?');
});

test('after Start the pressed consent step stays until the call is live with the camera in it (or 300 ms), then the call replaces it with no blank page between', async ({ billBrowser, agent }) => {
  const invite = await agent.newInvite();
  const ctx = await newContext(billBrowser);
  const page = await ctx.newPage();
  // Seen from inside the page: the moment the served step leaves, and what the page holds then.
  await page.addInitScript(() => {
    const w = window as unknown as { __pressAt?: number; __left?: unknown; __customerCall?: { state: { phase: string; localStream: unknown } } };
    document.addEventListener('click', (e) => { if ((e.target as Element | null)?.closest?.('[data-start]')) w.__pressAt ??= performance.now(); }, true);
    new MutationObserver((_, obs) => {
      if (!w.__pressAt || document.getElementById('consent-static')) return;
      obs.disconnect();
      const s = w.__customerCall?.state;
      // (the served step carries the same test id as the page's shell: it is gone by now)
      w.__left = { after: performance.now() - w.__pressAt, phase: s?.phase, camera: !!s?.localStream, shell: !!document.querySelector('[data-testid="customer-root"]') };
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(invite);
  await page.getByTestId('start-camera').click();
  await agent.waitConnected(30_000);
  await expect(page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
  const left = await page.evaluate(() => (window as unknown as { __left?: { after: number; phase: string; camera: boolean; shell: boolean } }).__left);
  expect(left, 'the served consent step was removed').toBeTruthy();
  // The call's view was drawn in the same task that took the step away.
  expect(left!.shell).toBe(true);
  // It left because the call was up with the camera in it, or because the wait ran out.
  expect((left!.phase === 'connected' && left!.camera) || left!.after >= 295).toBe(true);
  await ctx.close();
});
