import { describe, expect, it } from 'vitest';
import { CONSULT_IDLE, consultReducer, customerOnHoldForConsult, holdVideo, type ConsultEvent, type ConsultState } from '../../../src-renderer/handoff/model/consult';

const run = (events: ConsultEvent[], from: ConsultState = CONSULT_IDLE): ConsultState => events.reduce((s, e) => consultReducer(s, e).state, from);
const req = (id = 'c1', video: 'paused' | 'kept' = 'paused'): ConsultEvent => ({ type: 'request', id, colleagueId: 'bob', video, note: 'is this fee right?', now: 1000, timeoutMs: 20_000 });

describe('consult state machine', () => {
  it('request, ring, talk, return: the customer is on hold throughout and off hold after', () => {
    let s = run([req('c1', 'kept')]);
    expect(customerOnHoldForConsult(s)).toBe(true);
    expect(holdVideo(s)).toBe('kept');
    s = run([{ type: 'offered', id: 'c1' }, { type: 'accepted', id: 'c1', now: 2000 }], s);
    expect(s).toMatchObject({ phase: 'talking', answeredAt: 2000 });
    expect(customerOnHoldForConsult(s)).toBe(true);
    s = run([{ type: 'tick', now: 10_000_000 }], s);
    expect(s.phase).toBe('talking'); // talking has no deadline
    s = run([{ type: 'return', id: 'c1', now: 3000 }], s);
    expect(s).toEqual({ phase: 'idle', last: { id: 'c1', end: 'returned', at: 3000 } });
    expect(customerOnHoldForConsult(s)).toBe(false);
    expect(holdVideo(s)).toBeNull();
  });

  const ends: Array<[string, ConsultEvent, string]> = [
    ['cancel', { type: 'cancel', id: 'c1', now: 2000 }, 'cancelled'],
    ['colleague hang-up', { type: 'colleague_left', id: 'c1', now: 2000 }, 'colleague_left'],
    ['colleague workstation gone', { type: 'target_gone', id: 'c1', now: 2000 }, 'target_gone'],
    ['error', { type: 'error', id: 'c1', message: 'x', now: 2000 }, 'error'],
    ['customer left', { type: 'customer_left', now: 2000 }, 'customer_left'],
    ['agent returns', { type: 'return', id: 'c1', now: 2000 }, 'returned'],
  ];
  const before: Record<string, ConsultEvent[]> = {
    requesting: [req()],
    ringing: [req(), { type: 'offered', id: 'c1' }],
    talking: [req(), { type: 'offered', id: 'c1' }, { type: 'accepted', id: 'c1', now: 1500 }],
  };
  for (const [phase, pre] of Object.entries(before)) {
    for (const [name, ev, how] of ends) {
      it(`${phase}: ${name} returns the agent to the customer, off hold`, () => {
        const s = run([...pre, ev]);
        expect(s.phase).toBe('idle');
        expect(s.phase === 'idle' && s.last?.end).toBe(how);
        expect(customerOnHoldForConsult(s)).toBe(false);
      });
    }
  }

  for (const phase of ['requesting', 'ringing'] as const) {
    it(`${phase}: declined or timed out returns to the customer`, () => {
      expect(run([...before[phase]!, { type: 'declined', id: 'c1', now: 2000 }])).toMatchObject({ phase: 'idle', last: { end: 'declined' } });
      expect(run([...before[phase]!, { type: 'tick', now: 1000 + 19_999 }]).phase).toBe(phase);
      expect(run([...before[phase]!, { type: 'tick', now: 1000 + 20_000 }])).toMatchObject({ phase: 'idle', last: { end: 'timeout' } });
    });
  }

  it('a decline after the colleague is talking is refused', () => {
    const s = run(before.talking!);
    expect(consultReducer(s, { type: 'declined', id: 'c1', now: 2 })).toEqual({ state: s, refused: 'not_open' });
  });

  it('is idempotent by id; a second consult while one is open is refused', () => {
    const s = run(before.ringing!);
    expect(consultReducer(s, req('c1'))).toEqual({ state: s });
    expect(consultReducer(s, req('c2'))).toEqual({ state: s, refused: 'busy' });
    const over = run([{ type: 'cancel', id: 'c1', now: 5 }], s);
    expect(consultReducer(over, req('c1'))).toEqual({ state: over });
    expect(consultReducer(over, req('c2')).state.phase).toBe('requesting');
  });

  it('frames about another consult are ignored', () => {
    const s = run([req()]);
    expect(consultReducer(s, { type: 'accepted', id: 'x', now: 1 })).toEqual({ state: s, refused: 'unknown_id' });
    expect(consultReducer(CONSULT_IDLE, { type: 'return', id: 'c1', now: 1 })).toEqual({ state: CONSULT_IDLE, refused: 'not_open' });
    expect(consultReducer(CONSULT_IDLE, { type: 'customer_left', now: 1 })).toEqual({ state: CONSULT_IDLE });
  });
});
