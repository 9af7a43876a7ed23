/**
 * What a page hears, as WebRTC counts it: the inbound audio energy on some of
 * its peer connections (an expression evaluated in the page that yields an
 * array of RTCPeerConnection). Sound arriving makes it grow; a muted or
 * disabled track at the sender sends silence, and it stops growing.
 */
import type { Page } from '@playwright/test';
import { expect } from './call-fixtures';

export const heard = (page: Page, pcs: string) => page.evaluate(`(async () => {
  let e = 0;
  for (const pc of ${pcs}) {
    if (!pc) continue;
    (await pc.getStats()).forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'audio') e += r.totalAudioEnergy || 0; });
  }
  return e;
})()`) as Promise<number>;

/** Sound keeps arriving: the received energy grows. */
export async function hears(page: Page, pcs: string): Promise<void> {
  const before = await heard(page, pcs);
  await expect.poll(() => heard(page, pcs), { timeout: 30_000 }).toBeGreaterThan(before);
}

/** Nothing audible arrives any more: the energy stops growing (sampled half a second apart). */
export async function silentOn(page: Page, pcs: string): Promise<void> {
  await expect.poll(async () => { const a = await heard(page, pcs); await page.waitForTimeout(500); return (await heard(page, pcs)) - a; }, { timeout: 30_000 }).toBeLessThan(1e-6);
}

/** How many of the page's <audio> elements with this test id are playing a live audio track. */
export const playing = (p: Page, testId: string) => p.evaluate((id) => [...document.querySelectorAll<HTMLAudioElement>(`[data-testid="${id}"]`)]
  .filter((a) => !a.paused && (a.srcObject as MediaStream | null)?.getAudioTracks().some((t) => t.readyState === 'live')).length, testId);
