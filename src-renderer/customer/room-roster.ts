/**
 * Who is in the customer's room beside the customer, as the server's joins and leaves tell it:
 * the main agent (whose link carries the call), a second agent beside them (a warm transfer,
 * a consult) and technician guests, with the notices the customer sees as they come and go.
 * When the main agent leaves while a second one is there, that one becomes the main agent.
 */
import type { Store } from '../call/store';
import type { CustomerCallState } from './customer-call';
import type { ExtraPeers } from './extra-peers';
import { joinedNotice, technicianLeftNotice } from './handoff-notice';

type Member = { memberId: string; role: string; name?: string };

export class RoomRoster {
  constructor(private readonly d: {
    store: Store<CustomerCallState>;
    extras: ExtraPeers;
    agentId(): string | null;
    setAgentId(id: string): void;
    /** The main agent left and `next` is with us: its link becomes the main one (false when it has none yet). */
    promote(next: string): boolean;
    /** The main link starts over (towards the agent now set), its peer torn down. */
    startOver(): void;
  }) {}

  joined(member: Member): void {
    const { store, extras } = this.d;
    if (member.role === 'technician') {
      // a technician guest: it offers a peer of its own, answered with our camera and microphone
      extras.technicians.set(member.memberId, member.name);
      store.set({ notice: joinedNotice('technician', member.name) });
      return;
    }
    if (member.role !== 'agent') return;
    const main = this.d.agentId();
    if (main && main !== member.memberId && store.get().agentOnline) {
      // a second agent beside ours (warm transfer, consult): they will offer a peer of their own
      extras.secondAgents.add(member.memberId);
      if (store.get().notice?.kind !== 'hold') store.set({ notice: joinedNotice('agent', member.name) });
      return;
    }
    this.d.setAgentId(member.memberId);
    store.set({ agentOnline: true });
  }

  left(m: Member & { reason?: string }): void {
    const { store, extras } = this.d;
    if (m.role === 'technician') {
      // only their socket went (a blip): the media needs no socket, they resume
      if (m.reason !== 'hangup') return;
      const name = extras.technicians.get(m.memberId);
      extras.technicians.delete(m.memberId);
      // they left or were removed: our media to them stops now
      extras.drop(m.memberId);
      store.set({ notice: technicianLeftNotice(name) });
      return;
    }
    if (m.role !== 'agent') return;
    const second = extras.secondAgents;
    if (second.has(m.memberId)) {
      second.delete(m.memberId);
      extras.drop(m.memberId);
      return;
    }
    if (m.memberId === this.d.agentId()) {
      const next = [...second][0];
      if (next) {
        second.delete(next);
        if (!this.d.promote(next)) { this.d.setAgentId(next); this.d.startOver(); }
        return;
      }
    }
    store.set({ agentOnline: false });
  }
}
