/**
 * The sending agent's side of a transfer (warm or cold, to an agent or a
 * queue), as a pure reducer over plain serialisable states: no timers, no
 * sockets. The controller (handoff/agent-handoff.ts) feeds it the server's
 * hand-off frames and a clock tick, and carries out what the state says
 * (the customer's hold, the call bar's Wrap-up and End).
 *
 * Rules it keeps:
 * - every way out of a pending transfer except success (decline, time-out,
 *   cancel, the receiver's workstation gone, an error, the customer leaving)
 *   lands in `failed` with the customer off hold and agent 1 still with them;
 * - a request is idempotent: the same id again while pending changes
 *   nothing; another id while one is pending is refused (`busy`);
 * - Wrap-up and End are disabled from the request until it settles.
 *
 * Warm: agent 2 joins the live room while agent 1 is still talking (no
 * hold), both are with the customer (`joined`), agent 1 completes and
 * leaves. Cold: the customer waits on hold (a waiting page) until someone
 * takes the contact and has their video; agent 1 leaves only then, so a
 * receiver that fails on the way leaves the customer with agent 1.
 */

export type TransferKind = 'warm' | 'cold';
export type TransferTarget = { agentId: string } | { queue: string };
export type TransferFailure = 'declined' | 'timeout' | 'cancelled' | 'target_gone' | 'customer_left' | 'error';

interface Pending {
  id: string;
  kind: TransferKind;
  target: TransferTarget;
  note: string;
  startedAt: number;
  /** the request fails as `timeout` at this time unless it has been taken */
  deadline: number;
}

export type TransferState =
  | { phase: 'idle' }
  /** sent; the server has not confirmed it yet */
  | ({ phase: 'requesting' } & Pending)
  /** the target (or the queue's agents) has been offered the contact */
  | ({ phase: 'ringing' } & Pending)
  /**
   * The receiving agent is in the room. Warm: both agents are with the
   * customer until agent 1 completes. Cold: the receiver is connecting to the
   * customer (who still waits) and completes once their video arrives.
   */
  | ({ phase: 'joined', acceptedBy: string, acceptedAt: number } & Pending)
  /** the contact is with the receiving agent; agent 1 has left */
  | { phase: 'completed', id: string, kind: TransferKind, acceptedBy: string, at: number }
  | { phase: 'failed', id: string, kind: TransferKind, reason: TransferFailure, message?: string, at: number };

export type TransferEvent =
  | { type: 'request', id: string, kind: TransferKind, target: TransferTarget, note: string, now: number, timeoutMs: number }
  | { type: 'offered', id: string }
  | { type: 'accepted', id: string, by: string, now: number }
  | { type: 'declined', id: string, now: number }
  | { type: 'cancel', id: string, now: number }
  | { type: 'complete', id: string, now: number }
  | { type: 'target_gone', id: string, now: number }
  | { type: 'error', id: string, message: string, now: number }
  | { type: 'customer_left', now: number }
  | { type: 'tick', now: number }
  /** after a failure or completion has been shown, back to nothing pending */
  | { type: 'dismiss' };

export interface TransferStep {
  state: TransferState;
  /** refused, with why (the state is unchanged) */
  refused?: 'busy' | 'not_pending' | 'unknown_id' | 'not_joined';
}

export const IDLE: TransferState = Object.freeze({ phase: 'idle' });

export function isPending(s: TransferState): s is Extract<TransferState, { phase: 'requesting' | 'ringing' | 'joined' }> {
  return s.phase === 'requesting' || s.phase === 'ringing' || s.phase === 'joined';
}

/** The customer sees the waiting notice: a cold transfer until the receiver has them. Never after a failure. */
export function customerOnHold(s: TransferState): boolean {
  return isPending(s) && s.kind === 'cold';
}

/** Wrap-up and End are off while a transfer is in flight (pressing them would strand the customer mid-hand-off). */
export function wrapUpAllowed(s: TransferState): boolean {
  return !isPending(s);
}
export const endAllowed = wrapUpAllowed;

export function transferReducer(s: TransferState, e: TransferEvent): TransferStep {
  switch (e.type) {
    case 'request': {
      if (isPending(s)) return s.id === e.id ? { state: s } : { state: s, refused: 'busy' };
      if ((s.phase === 'completed' || s.phase === 'failed') && s.id === e.id) return { state: s };
      return { state: { phase: 'requesting', id: e.id, kind: e.kind, target: e.target, note: e.note, startedAt: e.now, deadline: e.now + e.timeoutMs } };
    }
    case 'offered':
      if (s.phase === 'requesting' && s.id === e.id) return { state: { ...s, phase: 'ringing' } };
      return same(s, e.id);
    case 'accepted': {
      if ((s.phase !== 'requesting' && s.phase !== 'ringing') || s.id !== e.id) return same(s, e.id);
      const { phase: _p, ...rest } = s;
      return { state: { ...rest, phase: 'joined', acceptedBy: e.by, acceptedAt: e.now } };
    }
    case 'complete':
      if (s.phase === 'joined' && s.id === e.id) return { state: { phase: 'completed', id: s.id, kind: s.kind, acceptedBy: s.acceptedBy, at: e.now } };
      if (s.phase === 'completed' && s.id === e.id) return { state: s };
      return { state: s, refused: isPending(s) && s.id === e.id ? 'not_joined' : 'not_pending' };
    case 'declined':
      return fail(s, e.id, 'declined', e.now);
    case 'cancel':
      return fail(s, e.id, 'cancelled', e.now);
    case 'target_gone':
      return fail(s, e.id, 'target_gone', e.now);
    case 'error':
      return fail(s, e.id, 'error', e.now, e.message);
    case 'customer_left':
      return isPending(s) ? { state: { phase: 'failed', id: s.id, kind: s.kind, reason: 'customer_left', at: e.now } } : { state: s };
    case 'tick':
      // a warm transfer that has joined has no deadline: both agents are with the customer
      if ((s.phase === 'requesting' || s.phase === 'ringing') && e.now >= s.deadline) return { state: { phase: 'failed', id: s.id, kind: s.kind, reason: 'timeout', at: e.now } };
      return { state: s };
    case 'dismiss':
      return isPending(s) ? { state: s, refused: 'busy' } : { state: IDLE };
  }
}

function same(s: TransferState, id: string): TransferStep {
  if (isPending(s) && s.id === id) return { state: s };
  return { state: s, refused: isPending(s) ? 'unknown_id' : 'not_pending' };
}

/**
 * Leave the pending transfer as failed: agent 1 keeps the customer, off hold.
 * A warm transfer already `joined` that the receiver drops (gone, error)
 * fails the same way: the customer is still with agent 1.
 */
function fail(s: TransferState, id: string, reason: TransferFailure, now: number, message?: string): TransferStep {
  if (!isPending(s) || s.id !== id) return same(s, id);
  // once both agents are with the customer, only the receiver leaving or an error undoes it
  if (s.phase === 'joined' && reason === 'declined') return { state: s, refused: 'not_pending' };
  const out: TransferState = { phase: 'failed', id: s.id, kind: s.kind, reason, at: now };
  if (message !== undefined) out.message = message;
  return { state: out };
}
