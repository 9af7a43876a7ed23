/**
 * The launch (src-renderer/call/quality/launch.ts) on real senders in Debian's Chromium:
 * a new link's first frames go out at 640x360 from a 1280x720 camera, and at 1280 once the
 * ladder sees an estimate that carries HD; a second agent's link stays at SD beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openHarnessPage, type HarnessPage } from '../../../support/harness-page';

let harness: HarnessPage;

beforeAll(async () => { harness = await openHarnessPage(join(import.meta.dirname, 'launch-sender.page.ts')); }, 60_000);
afterAll(async () => { await harness?.close(); });

type R = { first: number; after: number; sideFirst: number | null; sideAfter: number | null };
const launch = (arg: { kbps: number; side?: 'agent' | 'technician' }): Promise<R> => harness.run<R>('launch', arg);

describe('the first frames of a link (Chromium, real encoders)', () => {
  it('go out at 640x360 from a 720p camera, and at 1280x720 once the estimate carries HD', async () => {
    const r = await launch({ kbps: 2500 });
    expect(r.first).toBe(640);
    expect(r.after).toBe(1280);
  }, 60_000);

  it('stay at 640x360 while the estimate does not carry HD (the ladder decides after its warm-up)', async () => {
    const r = await launch({ kbps: 700 });
    expect(r.first).toBe(640);
    expect(r.after).toBe(640);
  }, 60_000);

  it("a second agent's link beside the main one stays at SD while the main link goes to HD", async () => {
    const r = await launch({ kbps: 2500, side: 'agent' });
    expect(r.sideFirst).toBe(640);
    expect(r.after).toBe(1280);
    expect(r.sideAfter).toBe(640);
  }, 60_000);
});
