/**
 * The product's Peer (peer-types.ts) over @thaunknown/simple-peer, used
 * where a page offers (the agent, a technician). The answering pages use
 * native-peer.ts instead, with the same wire, so the customer's page carries
 * neither simple-peer nor its Node stream polyfills. Callers never touch
 * simple-peer directly, so the library can be swapped (or patched) here alone.
 *
 * Recovery model: transient loss is repaired by an ICE restart driven by
 * the initiator (the agent) — `restartIce()` — with the same peer, so no new
 * invite and no new data channel are needed. simple-peer destroys itself
 * when ICE reaches 'failed'; the session layer then re-creates the peer over
 * the same signaling seat.
 */
import SimplePeer from '@thaunknown/simple-peer';
import { withStartBitrate } from './start-bitrate';
import type { SignalData } from '../../../signaling-server/protocol';
import type { Peer, PeerEvents, PeerOptions } from './peer-types';
import { createPeerListeners } from './peer-listeners';
import { sendOnChannel } from './channel-send';

export type { Peer, PeerConnectionState, PeerEvents, PeerFactory, PeerOptions } from './peer-types';

export function createPeer(opts: PeerOptions): Peer {
  const config: RTCConfiguration = {
    iceServers: opts.iceServers ?? [],
    iceTransportPolicy: opts.iceTransportPolicy ?? 'all',
    // Pre-gathering candidates before the offer shaves a round of gathering off call set-up.
    iceCandidatePoolSize: 1,
  };
  const sp = new SimplePeer({
    initiator: opts.initiator,
    config,
    streams: opts.stream ? [opts.stream] : [],
    trickle: true,
    objectMode: true,
    channelConfig: { ordered: true },
    // Both sides: the customer sends the video, the agent (the offerer) writes the codecs it reads.
    sdpTransform: (sdp: string) => withStartBitrate(sdp),
  });
  const listeners = createPeerListeners();
  const emit = listeners.emit;
  let closed = false;
  // Kept: simple-peer nulls its _pc when destroyed, and the last state is still worth reporting.
  const pc = sp._pc;
  // simple-peer destroys the peer as soon as ICE reports 'failed'. We want to
  // try an ICE restart first (a dropped network often comes back), so the
  // failure is surfaced as a state and the session decides when to give up.
  const lib = sp as unknown as { _onIceStateChange: () => void; _onConnectionStateChange: () => void; emit: (e: string, ...a: unknown[]) => void };
  const origIce = lib._onIceStateChange.bind(sp);
  lib._onIceStateChange = () => {
    if (sp._pc?.iceConnectionState === 'failed') { lib.emit('iceStateChange', 'failed', sp._pc.iceGatheringState); return; }
    origIce();
  };
  lib._onConnectionStateChange = () => { /* only destroyed on 'failed'; see above */ };

  if (opts.initiator && sp._pc) {
    // Added synchronously: simple-peer creates its first offer a task later, so these are in it.
    for (const kind of opts.receiveOnly ?? []) sp._pc.addTransceiver(kind, { direction: 'recvonly' });
  }

  sp.on('signal', (d: SignalData) => emit('signal', d));
  sp.on('track', (t: MediaStreamTrack, s: MediaStream) => emit('track', t, s));
  sp.on('stream', (s: MediaStream) => emit('stream', s));
  sp.on('data', (d: unknown) => {
    if (typeof d === 'string') emit('data', d);
    else if (d instanceof Uint8Array) emit('data', d);
    else if (d instanceof ArrayBuffer) emit('data', new Uint8Array(d));
  });
  sp.on('connect', () => emit('connect'));
  sp.on('close', () => { if (!closed) { closed = true; emit('close'); } });
  sp.on('error', (err: Error & { code?: string }) => emit('error', { code: err.code ?? 'ERR_PEER', message: err.message }));
  if (pc) {
    const onState = () => emit('connection-state', pc.connectionState, pc.iceConnectionState);
    pc.addEventListener('connectionstatechange', onState);
    pc.addEventListener('iceconnectionstatechange', onState);
  }

  return {
    get initiator() { return opts.initiator; },
    get destroyed() { return sp.destroyed || closed; },
    get connected() { return sp.connected; },
    get pc() { return sp._pc; },
    on: listeners.on,
    signal(data) {
      if (sp.destroyed) return;
      try { sp.signal(data); } catch (err) { emit('error', { code: 'ERR_SIGNALING', message: (err as Error).message }); }
    },
    send(data) { return sendOnChannel(sp._channel, data); },
    bufferedAmount() { return sp._channel?.bufferedAmount ?? 0; },
    restartIce() {
      const live = sp._pc;
      if (!live || sp.destroyed) return;
      if (!opts.initiator) {
        // The answerer cannot offer: this asks the initiator to renegotiate.
        sp.negotiate();
        return;
      }
      const st = lib as unknown as { _isNegotiating: boolean; _queuedNegotiation: boolean };
      const go = () => {
        if (sp.destroyed || !sp._pc) return;
        // simple-peer does not listen for negotiationneeded, so the restart offer is asked for explicitly.
        sp._pc.restartIce();
        sp.negotiate();
      };
      if (live.signalingState === 'have-local-offer') {
        // An earlier offer never got its answer (the other side was offline): roll it back,
        // or simple-peer would queue this restart behind an answer that will never come.
        st._queuedNegotiation = false;
        live.setLocalDescription({ type: 'rollback' }).catch(() => {}).finally(() => { st._isNegotiating = false; st._queuedNegotiation = false; go(); });
        return;
      }
      go();
    },
    async replaceTrack(oldTrack, newTrack, stream) {
      const live = sp._pc;
      if (!live) return;
      const sender = live.getSenders().find((s) => s.track === oldTrack) ?? live.getSenders().find((s) => s.track?.kind === newTrack.kind);
      if (sender) {
        await sender.replaceTrack(newTrack);
        // Keep simple-peer's own map in step so later replaceTrack/removeTrack calls find the sender.
        try { sp.replaceTrack(oldTrack, newTrack, stream); } catch { /* sender already swapped above */ }
      }
    },
    addTrack(track, stream) {
      if (sp.destroyed) return;
      try { sp.addTrack(track, stream); } catch (err) { emit('error', { code: 'ERR_ADD_TRACK', message: (err as Error).message }); }
    },
    async getStats() {
      const live = sp._pc;
      if (!live) return null;
      try { return await live.getStats(); } catch { return null; }
    },
    connectionState() { return pc?.connectionState ?? 'closed'; },
    iceConnectionState() { return pc?.iceConnectionState ?? 'closed'; },
    destroy() {
      if (!sp.destroyed) sp.destroy();
    },
  };
}
