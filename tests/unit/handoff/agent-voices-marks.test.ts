/**
 * Which desk is the hub of the two agents' marks is decided by each desk from
 * the server's frames (an agent in our welcome was seated before us: the hub;
 * one announced by peer_joined came after: we are the hub), kept across a
 * socket blip, and the link's messenger exists from that moment until the
 * other agent leaves the room (not on a mere disconnect).
 */
import { describe, expect, it, vi } from 'vitest';
import type { Messenger } from '../../../src-renderer/call/peer/data-channel';
import { AgentVoices, voicesOf } from '../../../src-renderer/handoff/agent-voices';
import type { AgentCall } from '../../../src-renderer/agent/agent-call';

// simple-peer's browser build does not load in Node; no peer is made here (the fake call reads as ended to offer())
vi.mock('../../../src-renderer/call/peer/peer', () => ({ createPeer: () => { throw new Error('no peer in this test'); } }));

/** Just what AgentVoices reads of a call: server frames in, a store; no peer is made (the call reads as ended to offer()). */
function fakeCall() {
  const fns = new Map<string, Set<(m: any) => void>>();
  const subs = new Set<() => void>();
  const call = {
    onServer: (type: string, fn: (m: any) => void) => { if (!fns.has(type)) fns.set(type, new Set()); fns.get(type)!.add(fn); return () => fns.get(type)!.delete(fn); },
    store: { subscribe: (fn: () => void) => { subs.add(fn); return () => subs.delete(fn); }, get: () => call.state },
    state: { phase: 'ended', link: 'connected', held: false, micMuted: false, consultGuest: false },
    send: () => true,
    iceServers: [],
    micTrack: null,
    mic: { ensure: async () => null },
  };
  const frame = (m: any) => { for (const fn of fns.get(m.type) ?? []) fn(m); };
  return { call: call as unknown as AgentCall, frame };
}
const agent = (memberId: string) => ({ memberId, role: 'agent', name: memberId });

describe('AgentVoices: the marks link and who is the hub', () => {
  it('the second desk sees the first agent as the hub, the first sees the second as its colleague', () => {
    const seen: Array<[string, boolean | null, boolean]> = [];
    // Bob's desk: seated beside Alice (she is in his welcome)
    const bob = fakeCall();
    const bv = new AgentVoices(bob.call);
    expect(voicesOf(bob.call)).toBe(bv);
    bv.onMessenger((id, m, hub) => seen.push([id, m ? true : null, hub]));
    bob.frame({ type: 'welcome', roomId: 'r1', iceServers: [], members: [agent('alice'), { memberId: 'c1', role: 'customer' }] });
    expect(seen).toEqual([['alice', true, true]]);
    // a socket blip: the same welcome again changes nothing; a disconnect is not a departure
    bob.frame({ type: 'welcome', roomId: 'r1', iceServers: [], members: [agent('alice')] });
    bob.frame({ type: 'peer_left', memberId: 'alice', role: 'agent', reason: 'disconnect' });
    expect(seen).toHaveLength(1);
    // Alice completes the transfer and leaves: the link goes
    bob.frame({ type: 'peer_left', memberId: 'alice', role: 'agent', reason: 'hangup' });
    expect(seen).toEqual([['alice', true, true], ['alice', null, false]]);
    bv.dispose();
    expect(voicesOf(bob.call)).toBeUndefined();

    // Alice's desk: Bob is announced after her; her own later welcome (a blip) listing him keeps her the hub
    const alice = fakeCall();
    const av = new AgentVoices(alice.call);
    const mine: Array<[string, boolean]> = [];
    alice.frame({ type: 'welcome', roomId: 'r1', iceServers: [], members: [{ memberId: 'c1', role: 'customer' }] });
    alice.frame({ type: 'peer_joined', member: agent('bob') });
    alice.frame({ type: 'welcome', roomId: 'r1', iceServers: [], members: [agent('bob')] });
    // a listener that comes later (the stage mounts after the video) gets the link as it is
    av.onMessenger((id, m, hub) => { if (m) mine.push([id, hub]); });
    expect(mine).toEqual([['bob', false]]);
    // technicians are not agents: no marks link of this kind
    alice.frame({ type: 'peer_joined', member: { memberId: 't1', role: 'technician', name: 'Tess' } });
    expect(mine).toHaveLength(1);
    av.dispose();
  });

  it('hands out one messenger per agent, the same across re-announcements', () => {
    const { call, frame } = fakeCall();
    const v = new AgentVoices(call);
    const got: Messenger[] = [];
    v.onMessenger((_id, m) => { if (m) got.push(m); });
    frame({ type: 'peer_joined', member: agent('carol') });
    frame({ type: 'peer_joined', member: agent('carol') });
    expect(got).toHaveLength(1);
    v.dispose();
  });
});
