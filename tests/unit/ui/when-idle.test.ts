import { describe, expect, it } from 'vitest';
import { whenIdle } from '../../../src-renderer/ui/when-idle';

// Node has no requestIdleCallback, like Safari: the timer path customers on iPhones take.
describe('whenIdle without requestIdleCallback', () => {
  it('runs the work soon, and not at all once cancelled', async () => {
    expect(typeof (globalThis as { requestIdleCallback?: unknown }).requestIdleCallback).toBe('undefined');
    const ran: string[] = [];
    whenIdle(() => ran.push('a'), 1500);
    const cancel = whenIdle(() => ran.push('b'), 1500);
    cancel();
    await new Promise((r) => setTimeout(r, 120));
    expect(ran).toEqual(['a']);
  });
});
