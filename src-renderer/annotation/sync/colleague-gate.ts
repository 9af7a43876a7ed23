/**
 * Marks between two agents who share a customer's room (a consult, a warm
 * transfer before the first agent leaves). The room's main agent stays the
 * hub: its workstation sends the customer everything. The second agent's
 * desk is linked to it on the agents' own peer (handoff/agent-voices.ts),
 * never through the customer's page, and each side checks what the other
 * sends before applying it:
 *  - the hub checks the second agent as it checks a technician (a GuestGate
 *    with agent author ids and the colleague colour): its own marks only, in
 *    its own colour, no clear of the board;
 *  - the second agent's desk takes the hub's operations (its marks, its
 *    clear, the technicians' and earlier agents' marks it relays) except any
 *    stamped with the second agent's own author id: those are written on
 *    this desk alone, so a copy from elsewhere is at best an echo (already
 *    applied) and is never applied.
 * Pure: no DOM, no channel.
 */
import { newer } from '../model/stamp';
import type { Operation, Rejection, Stamp } from '../model/types';
import { GuestGate } from './guest-gate';

/** The second agent's colour while two agents share the room (not in the palette, not the technician's orange). */
export const COLLEAGUE_COLOR = '#bf5af2';

/** Agent author ids: newAuthorId('a'). */
const AGENT_AUTHOR = /^a[a-z0-9]{4,40}$/;

/** The hub's gate for the second agent's link. */
export function colleagueGate(hubAuthor: string): GuestGate {
  return new GuestGate(hubAuthor, COLLEAGUE_COLOR, AGENT_AUTHOR);
}

/** What a gate answers: apply (null), refuse with a typed reason, or skip silently (an echo of our own). */
export type GateVerdict = Rejection | null | 'echo';

/**
 * The second agent's gate for the hub's link. `current(id)`: the live mark of that id on
 * this desk, to tell an echo (not newer than ours) from a forgery (would change our mark as us).
 */
export class HubGate {
  constructor(private readonly self: string, private readonly current: (id: string) => Stamp | undefined) {}

  check(op: Operation): GateVerdict {
    const stamp: Stamp = op.op === 'add' || op.op === 'update' ? op.shape : op;
    if (stamp.by !== this.self) return null;
    if (op.op === 'clear') return { code: 'unsupported', message: 'a clear stamped with this desk\'s author was not written here' };
    const mine = this.current(op.op === 'remove' ? op.id : op.shape.id);
    if (mine && newer(stamp, mine)) return { code: 'unsupported', message: 'only this desk writes as its own author' };
    return 'echo';
  }
}
