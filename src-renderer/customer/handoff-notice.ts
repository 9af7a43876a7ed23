/**
 * What the customer's page tells them about a hand-off, as plain data (view/texts.ts words it in
 * their language): a consult's hold, waiting for the next agent, who joined or left. Built here
 * from the server's notices and the room's joins, so the call keeps only when to show one.
 */
import type { Notice } from '../../signaling-server/protocol';

export type CustomerNotice =
  | { kind: 'hold', video: 'paused' | 'kept' }
  | { kind: 'transfer_waiting' }
  | { kind: 'transferred', name?: string }
  | { kind: 'joined', role: 'agent' | 'technician', name?: string }
  | { kind: 'left', role: 'technician', name?: string };

export function joinedNotice(role: 'agent' | 'technician', name: string | undefined): CustomerNotice {
  return name !== undefined ? { kind: 'joined', role, name } : { kind: 'joined', role };
}

export function technicianLeftNotice(name: string | undefined): CustomerNotice {
  return name !== undefined ? { kind: 'left', role: 'technician', name } : { kind: 'left', role: 'technician' };
}

/** The server's notice as the page shows it (null: none shown), and whether it pauses our video (a consult's hold may). */
export function fromServerNotice(m: Notice): { notice: CustomerNotice | null, pausesVideo: boolean } {
  switch (m.notice) {
    case 'hold': return { notice: { kind: 'hold', video: m.video ?? 'kept' }, pausesVideo: m.video === 'paused' };
    case 'resumed': return { notice: null, pausesVideo: false };
    case 'transfer_waiting': return { notice: { kind: 'transfer_waiting' }, pausesVideo: false };
    case 'transferred': return { notice: m.name !== undefined ? { kind: 'transferred', name: m.name } : { kind: 'transferred' }, pausesVideo: false };
    case 'guest_revoked': return { notice: technicianLeftNotice(m.name), pausesVideo: false };
  }
}
