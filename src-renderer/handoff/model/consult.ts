/**
 * The agent's side of a consult, as a pure reducer over plain serialisable
 * states. The agent asks a colleague for help while the customer waits: on
 * hold from the request until the agent is back, their video paused or kept
 * as the agent chose, and told so in their language (the controller sends
 * the notice; this says when).
 *
 * Every way out — the agent returns, cancels, the colleague declines, does
 * not answer in time, hangs up or their workstation is gone, an error, the
 * customer leaving — goes back to `idle` with the customer off hold; the
 * last outcome is kept in `last` for the call bar to show. Requests are
 * idempotent by id; Wrap-up and End are off while a consult is open.
 */

export type ConsultVideo = 'paused' | 'kept';
export type ConsultEnd = 'returned' | 'cancelled' | 'declined' | 'timeout' | 'colleague_left' | 'target_gone' | 'customer_left' | 'error';

interface Open {
  id: string;
  colleagueId: string;
  video: ConsultVideo;
  note: string;
  startedAt: number;
  /** ringing fails as `timeout` at this time */
  deadline: number;
}

export type ConsultState =
  | { phase: 'idle', last?: { id: string, end: ConsultEnd, at: number, message?: string } }
  | ({ phase: 'requesting' } & Open)
  | ({ phase: 'ringing' } & Open)
  /** the colleague is in: they see the case and the live (or frozen) view */
  | ({ phase: 'talking', answeredAt: number } & Open);

export type ConsultEvent =
  | { type: 'request', id: string, colleagueId: string, video: ConsultVideo, note: string, now: number, timeoutMs: number }
  | { type: 'offered', id: string }
  | { type: 'accepted', id: string, now: number }
  | { type: 'declined', id: string, now: number }
  | { type: 'return', id: string, now: number }
  | { type: 'cancel', id: string, now: number }
  | { type: 'colleague_left', id: string, now: number }
  | { type: 'target_gone', id: string, now: number }
  | { type: 'error', id: string, message: string, now: number }
  | { type: 'customer_left', now: number }
  | { type: 'tick', now: number };

export interface ConsultStep {
  state: ConsultState;
  refused?: 'busy' | 'not_open' | 'unknown_id';
}

export const CONSULT_IDLE: ConsultState = Object.freeze({ phase: 'idle' });

export function consultOpen(s: ConsultState): s is Exclude<ConsultState, { phase: 'idle' }> {
  return s.phase !== 'idle';
}

/** The customer waits (and is told so) for as long as a consult is open. */
export function customerOnHoldForConsult(s: ConsultState): boolean {
  return consultOpen(s);
}

/** What the customer's video does while they wait: null when not on hold. */
export function holdVideo(s: ConsultState): ConsultVideo | null {
  return consultOpen(s) ? s.video : null;
}

export function consultReducer(s: ConsultState, e: ConsultEvent): ConsultStep {
  switch (e.type) {
    case 'request':
      if (consultOpen(s)) return s.id === e.id ? { state: s } : { state: s, refused: 'busy' };
      if (s.last?.id === e.id) return { state: s }; // a retry of one already over
      return { state: { phase: 'requesting', id: e.id, colleagueId: e.colleagueId, video: e.video, note: e.note, startedAt: e.now, deadline: e.now + e.timeoutMs } };
    case 'offered':
      if (s.phase === 'requesting' && s.id === e.id) return { state: { ...s, phase: 'ringing' } };
      return same(s, e.id);
    case 'accepted':
      if ((s.phase === 'requesting' || s.phase === 'ringing') && s.id === e.id) return { state: { ...s, phase: 'talking', answeredAt: e.now } };
      return same(s, e.id);
    case 'declined':
      if (s.phase === 'talking' && s.id === e.id) return { state: s, refused: 'not_open' };
      return end(s, e.id, 'declined', e.now);
    case 'return':
      return end(s, e.id, 'returned', e.now);
    case 'cancel':
      return end(s, e.id, 'cancelled', e.now);
    case 'colleague_left':
      return end(s, e.id, 'colleague_left', e.now);
    case 'target_gone':
      return end(s, e.id, 'target_gone', e.now);
    case 'error':
      return end(s, e.id, 'error', e.now, e.message);
    case 'customer_left':
      return consultOpen(s) ? end(s, s.id, 'customer_left', e.now) : { state: s };
    case 'tick':
      if ((s.phase === 'requesting' || s.phase === 'ringing') && e.now >= s.deadline) return end(s, s.id, 'timeout', e.now);
      return { state: s };
  }
}

function same(s: ConsultState, id: string): ConsultStep {
  if (consultOpen(s) && s.id === id) return { state: s };
  return { state: s, refused: consultOpen(s) ? 'unknown_id' : 'not_open' };
}

function end(s: ConsultState, id: string, how: ConsultEnd, now: number, message?: string): ConsultStep {
  if (!consultOpen(s) || s.id !== id) return same(s, id);
  const last: { id: string, end: ConsultEnd, at: number, message?: string } = { id: s.id, end: how, at: now };
  if (message !== undefined) last.message = message;
  return { state: { phase: 'idle', last } };
}
