/**
 * `asked` is the wall clock right before the link is opened (createTarget or goto).
 *
 * Two ways to open the customer's link in a fresh browser context, for bench/call.ts and its probes.
 *
 * - 'direct': a tab opened at the URL (CDP Target.createTarget with the URL), as a phone's or a
 *   desktop's OS opens a tapped link: no about:blank document is committed first. Playwright, which
 *   auto-attaches to every new tab and holds it until it has set it up, picks the Page up from the
 *   context's 'page' event (its set-up is inside the page's own timeline: ~60–80 ms in a probe
 *   against a tab nothing is attached to, bench/probes/consent-paint.ts --ways=cdp,raw).
 * - 'goto': Playwright's new tab (which holds a committed about:blank, in a renderer started before
 *   the clock) then page.goto: the way the bench opened the link before.
 *
 * Neither avoids Cross-Origin-Opener-Policy's process swap in this Chromium: a COOP page needs a new
 * browsing-context group, and so a renderer of its own, whichever way its tab was opened
 * (bench/probes/direct-open.ts: 3 renderer starts per load without COOP, 4 with it, over raw CDP).
 *
 * In a 'direct' tab Playwright's bypassCSP cannot reach the first document: waitForFunction (which
 * compiles its predicate in the page) is refused by the page's CSP; page.evaluate and locators work.
 */
import type { Browser, BrowserContext, BrowserContextOptions, CDPSession, Page } from 'playwright-core';

export type OpenWay = 'direct' | 'goto';

export async function openTab(browser: Browser, cdp: CDPSession, way: OpenWay, url: string, opts: BrowserContextOptions, initScript?: string): Promise<{ ctx: BrowserContext; page: Page; asked: number }> {
  const before = new Set((await cdp.send('Target.getBrowserContexts')).browserContextIds);
  const ctx = await browser.newContext(opts);
  if (initScript) await ctx.addInitScript(initScript);
  if (way === 'goto') {
    const page = await ctx.newPage();
    const asked = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    return { ctx, page, asked };
  }
  // Playwright does not name its contexts' CDP ids: the one that appeared is ours (nothing else makes contexts meanwhile).
  const id = (await cdp.send('Target.getBrowserContexts')).browserContextIds.find((x) => !before.has(x));
  if (!id) throw new Error('the new browser context has no CDP id');
  const asked = Date.now();
  const [page] = await Promise.all([ctx.waitForEvent('page'), cdp.send('Target.createTarget', { url, browserContextId: id })]);
  return { ctx, page, asked };
}

/** waitForFunction without compiling in the page (see above): poll an expression with evaluate. */
export async function poll(page: Page, expr: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expr))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((ok) => setTimeout(ok, 10));
  }
}
