import { describe, expect, it } from 'vitest';
import { customerOnHold, endAllowed, IDLE, transferReducer, wrapUpAllowed, type TransferEvent, type TransferState } from '../../../src-renderer/handoff/model/transfer';

const run = (events: TransferEvent[], from: TransferState = IDLE): TransferState => events.reduce((s, e) => transferReducer(s, e).state, from);
const req = (kind: 'warm' | 'cold', id = 't1', now = 1000): TransferEvent => ({ type: 'request', id, kind, target: kind === 'warm' ? { agentId: 'bob' } : { queue: 'billing' }, note: 'bill dispute', now, timeoutMs: 30_000 });

describe('transfer state machine', () => {
  it('warm: requested, offered, joined (both agents with the customer, no hold), completed', () => {
    let s = run([req('warm')]);
    expect(s.phase).toBe('requesting');
    expect(customerOnHold(s)).toBe(false);
    expect(wrapUpAllowed(s)).toBe(false);
    expect(endAllowed(s)).toBe(false);
    s = run([{ type: 'offered', id: 't1' }, { type: 'accepted', id: 't1', by: 'bob', now: 2000 }], s);
    expect(s).toMatchObject({ phase: 'joined', acceptedBy: 'bob', acceptedAt: 2000 });
    expect(wrapUpAllowed(s)).toBe(false);
    // joined has no deadline: both agents are with the customer
    s = run([{ type: 'tick', now: 10_000_000 }], s);
    expect(s.phase).toBe('joined');
    s = run([{ type: 'complete', id: 't1', now: 3000 }], s);
    expect(s).toEqual({ phase: 'completed', id: 't1', kind: 'warm', acceptedBy: 'bob', at: 3000 });
    expect(wrapUpAllowed(s)).toBe(true);
  });

  it('cold: the customer is on hold until the receiver has them; then it completes', () => {
    let s = run([req('cold'), { type: 'offered', id: 't1' }]);
    expect(customerOnHold(s)).toBe(true);
    s = run([{ type: 'accepted', id: 't1', by: 'carol', now: 5000 }], s);
    expect(s).toMatchObject({ phase: 'joined', acceptedBy: 'carol' });
    expect(customerOnHold(s)).toBe(true);
    expect(wrapUpAllowed(s)).toBe(false);
    s = run([{ type: 'complete', id: 't1', now: 6000 }], s);
    expect(s).toMatchObject({ phase: 'completed', acceptedBy: 'carol' });
    expect(customerOnHold(s)).toBe(false);
  });

  it('cold, receiver joined but crashed before it had the customer: back to agent 1, off hold', () => {
    const s = run([req('cold'), { type: 'offered', id: 't1' }, { type: 'accepted', id: 't1', by: 'carol', now: 5000 }, { type: 'target_gone', id: 't1', now: 5500 }]);
    expect(s).toMatchObject({ phase: 'failed', reason: 'target_gone' });
    expect(customerOnHold(s)).toBe(false);
  });

  const failures: Array<[string, TransferEvent, string]> = [
    ['declined', { type: 'declined', id: 't1', now: 2000 }, 'declined'],
    ['cancelled', { type: 'cancel', id: 't1', now: 2000 }, 'cancelled'],
    ['receiver gone', { type: 'target_gone', id: 't1', now: 2000 }, 'target_gone'],
    ['error', { type: 'error', id: 't1', message: 'boom', now: 2000 }, 'error'],
    ['customer left', { type: 'customer_left', now: 2000 }, 'customer_left'],
    ['time-out', { type: 'tick', now: 1000 + 30_000 }, 'timeout'],
  ];
  for (const kind of ['warm', 'cold'] as const) {
    for (const phase of ['requesting', 'ringing'] as const) {
      for (const [name, ev, reason] of failures) {
        it(`${kind}, ${phase}: ${name} fails back to agent 1, off hold, Wrap-up allowed again`, () => {
          const pre = phase === 'ringing' ? [req(kind), { type: 'offered', id: 't1' } as TransferEvent] : [req(kind)];
          const s = run([...pre, ev]);
          expect(s).toMatchObject({ phase: 'failed', id: 't1', kind, reason });
          expect(customerOnHold(s)).toBe(false);
          expect(wrapUpAllowed(s)).toBe(true);
          expect(run([{ type: 'dismiss' }], s)).toEqual(IDLE);
        });
      }
    }
  }

  it('warm, joined: the receiver crashing or an error leaves the customer with agent 1; a late decline is refused', () => {
    const joined = run([req('warm'), { type: 'offered', id: 't1' }, { type: 'accepted', id: 't1', by: 'bob', now: 2000 }]);
    expect(run([{ type: 'target_gone', id: 't1', now: 3000 }], joined)).toMatchObject({ phase: 'failed', reason: 'target_gone' });
    expect(run([{ type: 'error', id: 't1', message: 'x', now: 3000 }], joined)).toMatchObject({ phase: 'failed', reason: 'error', message: 'x' });
    expect(run([{ type: 'cancel', id: 't1', now: 3000 }], joined)).toMatchObject({ phase: 'failed', reason: 'cancelled' });
    expect(transferReducer(joined, { type: 'declined', id: 't1', now: 3000 })).toEqual({ state: joined, refused: 'not_pending' });
  });

  it('no time-out before the deadline', () => {
    const s = run([req('warm'), { type: 'tick', now: 1000 + 29_999 }]);
    expect(s.phase).toBe('requesting');
  });

  it('is idempotent: the same request again changes nothing, another is refused as busy', () => {
    const s = run([req('warm'), { type: 'offered', id: 't1' }]);
    expect(transferReducer(s, req('warm', 't1', 9999))).toEqual({ state: s });
    expect(transferReducer(s, req('cold', 't2'))).toEqual({ state: s, refused: 'busy' });
    expect(transferReducer(s, { type: 'dismiss' })).toEqual({ state: s, refused: 'busy' });
    // retry of a request that already settled: nothing new starts
    const done = run([{ type: 'accepted', id: 't1', by: 'bob', now: 2 }, { type: 'complete', id: 't1', now: 3 }], s);
    expect(transferReducer(done, req('warm', 't1'))).toEqual({ state: done });
    expect(transferReducer(done, { type: 'complete', id: 't1', now: 4 })).toEqual({ state: done });
  });

  it('frames about another transfer are ignored', () => {
    const s = run([req('warm')]);
    expect(transferReducer(s, { type: 'accepted', id: 'zz', by: 'x', now: 1 })).toEqual({ state: s, refused: 'unknown_id' });
    expect(transferReducer(s, { type: 'declined', id: 'zz', now: 1 })).toEqual({ state: s, refused: 'unknown_id' });
    expect(transferReducer(IDLE, { type: 'accepted', id: 't1', by: 'x', now: 1 })).toEqual({ state: IDLE, refused: 'not_pending' });
    expect(transferReducer(IDLE, { type: 'customer_left', now: 1 })).toEqual({ state: IDLE });
  });

  it('complete before the receiver joined is refused (agent 1 must not leave the customer alone)', () => {
    const s = run([req('warm'), { type: 'offered', id: 't1' }]);
    expect(transferReducer(s, { type: 'complete', id: 't1', now: 2 })).toEqual({ state: s, refused: 'not_joined' });
    expect(transferReducer(IDLE, { type: 'complete', id: 't1', now: 2 })).toEqual({ state: IDLE, refused: 'not_pending' });
  });

  it('states are plain JSON', () => {
    const s = run([req('warm'), { type: 'offered', id: 't1' }, { type: 'accepted', id: 't1', by: 'bob', now: 2 }]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
