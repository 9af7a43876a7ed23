/**
 * The answering side's Peer directly over RTCPeerConnection, for the pages
 * that only ever answer (the customer's: its main agent, a second agent, a
 * technician). It speaks simple-peer's wire exactly, so a simple-peer
 * initiator (peer.ts, the agent's and technician's side) cannot tell:
 *   - signals: {type:'offer'|'answer', sdp}, {type:'candidate', candidate:{candidate,
 *     sdpMLineIndex, sdpMid}}, {type:'renegotiate', renegotiate:true},
 *     {type:'transceiverRequest', transceiverRequest:{kind}};
 *   - the data channel is the initiator's (ondatachannel), binary as Uint8Array;
 *   - 'connect' once ICE is connected and the channel open;
 *   - remote candidates wait for the remote description;
 *   - a track added here, or an ICE restart asked for here, becomes a request
 *     for a new offer (an answerer cannot offer);
 *   - after each answer, local tracks the offer had no slot for are asked for
 *     (simple-peer's _requestMissingTransceivers);
 *   - a closed data channel or ICE 'closed' ends the peer, so the other side's
 *     channel closes and it ends too; ICE 'failed' is only reported as a state
 *     (the session layer restarts ICE or starts over, as with peer.ts).
 * Behaviours follow @thaunknown/simple-peer 10.x (lite.js, index.js).
 */
import type { SignalData } from '../../../signaling-server/protocol';
import type { Peer, PeerOptions } from './peer-types';
import { withStartBitrate } from './start-bitrate';
import { createPeerListeners } from './peer-listeners';
import { sendOnChannel } from './channel-send';

/** simple-peer's: Chromium sometimes leaves a channel in 'closing' for good; two checks this far apart end the peer. */
const CHANNEL_CLOSING_CHECK_MS = 5_000;

type Candidate = NonNullable<Extract<SignalData, { type: 'candidate' }>['candidate']>;
type PeerError = { code: string; message: string };

export function createNativePeer(opts: PeerOptions): Peer {
  if (opts.initiator) throw new Error('native peer: only the answering side is implemented (offer with peer.ts)');

  const listeners = createPeerListeners();
  const emit = listeners.emit;

  let pc: RTCPeerConnection | null = null;
  /** Kept after destroy: the last states are still worth reporting. */
  let lastPc: RTCPeerConnection | null = null;
  let channel: RTCDataChannel | null = null;
  let destroying = false;
  let closed = false;
  let pcReady = false;
  let channelReady = false;
  let connected = false;
  let pending: Candidate[] = [];
  let negotiating = false;
  let queuedNegotiation = false;
  let firstNegotiation = true;
  let batched = false;
  let closingTimer: ReturnType<typeof setInterval> | null = null;
  const senders = new Map<MediaStreamTrack, Map<MediaStream, RTCRtpSender>>();
  const requested = new WeakSet<RTCRtpTransceiver>();
  const remoteStreams = new Set<string>();

  const fail = (code: string, err: unknown) => {
    destroy({ code, message: err instanceof Error ? err.message : String(err) });
  };

  function destroy(err?: PeerError) {
    if (closed || destroying) return;
    destroying = true;
    // a task later, as simple-peer does, so events concurrent with the call still fire
    setTimeout(() => {
      connected = false;
      pcReady = false;
      channelReady = false;
      if (closingTimer) { clearInterval(closingTimer); closingTimer = null; }
      if (channel) {
        try { channel.close(); } catch { /* already closed */ }
        channel.onmessage = channel.onopen = channel.onclose = channel.onerror = null;
      }
      if (pc) {
        try { pc.close(); } catch { /* already closed */ }
        pc.oniceconnectionstatechange = pc.onsignalingstatechange = pc.onicecandidate = pc.ontrack = pc.ondatachannel = null;
      }
      pc = null;
      channel = null;
      closed = true;
      if (err) emit('error', err);
      emit('close');
    }, 0);
  }

  try {
    pc = new RTCPeerConnection({
      iceServers: opts.iceServers ?? [],
      iceTransportPolicy: opts.iceTransportPolicy ?? 'all',
      iceCandidatePoolSize: 1,
    });
  } catch (err) {
    fail('ERR_PC_CONSTRUCTOR', err);
  }
  lastPc = pc;

  const maybeReady = () => {
    if (connected || !pcReady || !channelReady) return;
    connected = true;
    emit('connect');
  };

  const setupChannel = (ch: RTCDataChannel) => {
    channel = ch;
    ch.binaryType = 'arraybuffer';
    ch.onmessage = (ev: MessageEvent) => {
      if (closed || destroying) return;
      const d: unknown = ev.data;
      if (typeof d === 'string') emit('data', d);
      else if (d instanceof ArrayBuffer) emit('data', new Uint8Array(d));
    };
    ch.onopen = () => {
      if (connected || closed) return;
      channelReady = true;
      maybeReady();
    };
    ch.onclose = () => destroy();
    ch.onerror = (ev: Event) => {
      const e = (ev as RTCErrorEvent).error;
      fail('ERR_DATA_CHANNEL', e instanceof Error ? e : new Error('Datachannel error'));
    };
    let wasClosing = false;
    if (closingTimer) clearInterval(closingTimer);
    closingTimer = setInterval(() => {
      if (channel?.readyState === 'closing') {
        if (wasClosing) destroy();
        wasClosing = true;
      } else wasClosing = false;
    }, CHANNEL_CLOSING_CHECK_MS);
  };

  /** An answerer cannot offer: ask the initiator for a new offer (one request per round). */
  const negotiate = () => {
    if (closed || destroying) return;
    if (negotiating) queuedNegotiation = true;
    else emit('signal', { type: 'renegotiate', renegotiate: true });
    negotiating = true;
  };

  /** Batched like simple-peer's: the answerer's first request (its own construction) is dropped, the offer is coming anyway. */
  const needsNegotiation = () => {
    if (batched) return;
    batched = true;
    queueMicrotask(() => {
      batched = false;
      if (!firstNegotiation) negotiate();
      firstNegotiation = false;
    });
  };

  const addIceCandidate = (c: Candidate) => {
    const live = pc;
    if (!live) return;
    let cand: RTCIceCandidate;
    try { cand = new RTCIceCandidate(c); } catch (err) { fail('ERR_ADD_ICE_CANDIDATE', err); return; }
    live.addIceCandidate(cand).catch((err) => {
      if (!cand.address || cand.address.endsWith('.local')) console.warn('Ignoring unsupported ICE candidate.');
      else fail('ERR_ADD_ICE_CANDIDATE', err);
    });
  };

  /** Local tracks the offer had no m-line for: ask the initiator to add a transceiver for each. */
  const requestMissingTransceivers = () => {
    for (const t of pc?.getTransceivers() ?? []) {
      if (!t.mid && t.sender.track && !requested.has(t)) {
        requested.add(t);
        emit('signal', { type: 'transceiverRequest', transceiverRequest: { kind: t.sender.track.kind as 'audio' | 'video' } });
      }
    }
  };

  const createAnswer = async () => {
    const live = pc;
    if (!live || closed || destroying) return;
    let answer: RTCSessionDescriptionInit;
    try { answer = await live.createAnswer(); } catch (err) { fail('ERR_CREATE_ANSWER', err); return; }
    if (closed || destroying) return;
    try {
      await live.setLocalDescription({ type: answer.type, sdp: withStartBitrate(answer.sdp ?? '') });
    } catch (err) { fail('ERR_SET_LOCAL_DESCRIPTION', err); return; }
    if (closed || destroying) return;
    const local = live.localDescription;
    emit('signal', { type: (local?.type ?? answer.type) as 'answer', sdp: local?.sdp ?? answer.sdp ?? '' });
    requestMissingTransceivers();
  };

  if (pc) {
    const live = pc;
    const onState = () => emit('connection-state', live.connectionState, live.iceConnectionState);
    live.addEventListener('connectionstatechange', onState);
    live.addEventListener('iceconnectionstatechange', onState);
    live.oniceconnectionstatechange = () => {
      if (closed || destroying) return;
      const s = live.iceConnectionState;
      if (s === 'connected' || s === 'completed') { pcReady = true; maybeReady(); }
      // 'failed' is a state, not an end (peer.ts does the same to simple-peer): the session restarts ICE
      if (s === 'closed') fail('ERR_ICE_CONNECTION_CLOSED', new Error('Ice connection closed.'));
    };
    live.onsignalingstatechange = () => {
      if (closed || destroying || live.signalingState !== 'stable') return;
      negotiating = false;
      if (queuedNegotiation) { queuedNegotiation = false; needsNegotiation(); }
    };
    live.onicecandidate = (ev) => {
      if (closed || destroying || !ev.candidate) return;
      emit('signal', {
        type: 'candidate',
        candidate: { candidate: ev.candidate.candidate, sdpMLineIndex: ev.candidate.sdpMLineIndex, sdpMid: ev.candidate.sdpMid },
      });
    };
    live.ondatachannel = (ev) => setupChannel(ev.channel);
    live.ontrack = (ev) => {
      if (closed || destroying) return;
      for (const stream of ev.streams) {
        emit('track', ev.track, stream);
        if (remoteStreams.has(stream.id)) continue; // one 'stream' per stream, once all its tracks are in
        remoteStreams.add(stream.id);
        queueMicrotask(() => { if (!closed) emit('stream', stream); });
      }
    };
    if (opts.stream) for (const track of opts.stream.getTracks()) addTrackNow(track, opts.stream);
    needsNegotiation();
  }

  function addTrackNow(track: MediaStreamTrack, stream: MediaStream) {
    const live = pc;
    if (!live) return;
    const sub = senders.get(track) ?? new Map<MediaStream, RTCRtpSender>();
    if (sub.has(stream)) throw Object.assign(new Error('Track has already been added to that stream.'), { code: 'ERR_SENDER_ALREADY_ADDED' });
    sub.set(stream, live.addTrack(track, stream));
    senders.set(track, sub);
    needsNegotiation();
  }

  return {
    get initiator() { return false; },
    get destroyed() { return closed || destroying; },
    get connected() { return connected && channel?.readyState === 'open'; },
    get pc() { return pc; },
    on: listeners.on,
    signal(data) {
      const live = pc;
      if (!live || closed || destroying) return;
      const d = data as Partial<{ sdp: string; type: RTCSdpType; candidate: Candidate; renegotiate: true; transceiverRequest: unknown }>;
      // renegotiate / transceiverRequest are requests to the initiator: valid here, and nothing to do
      if (d.candidate) {
        if (live.remoteDescription?.type) addIceCandidate(d.candidate);
        else pending.push(d.candidate);
      }
      if (d.sdp) {
        live.setRemoteDescription({ type: d.type as RTCSdpType, sdp: d.sdp })
          .then(() => {
            if (closed || destroying) return;
            const queued = pending;
            pending = [];
            for (const c of queued) addIceCandidate(c);
            if (live.remoteDescription?.type === 'offer') void createAnswer();
          })
          .catch((err) => fail('ERR_SET_REMOTE_DESCRIPTION', err));
      }
      if (!d.sdp && !d.candidate && !d.renegotiate && !d.transceiverRequest) {
        fail('ERR_SIGNALING', new Error('signal() called with invalid signal data'));
      }
    },
    send(data) { return sendOnChannel(channel, data); },
    bufferedAmount() { return channel?.bufferedAmount ?? 0; },
    restartIce() {
      // The answerer cannot offer: this asks the initiator to renegotiate (its session restarts ICE).
      if (!pc || closed || destroying) return;
      negotiate();
    },
    async replaceTrack(oldTrack, newTrack, stream) {
      const live = pc;
      if (!live) return;
      const sender = live.getSenders().find((s) => s.track === oldTrack) ?? live.getSenders().find((s) => s.track?.kind === newTrack.kind);
      if (!sender) return;
      await sender.replaceTrack(newTrack);
      const sub = senders.get(oldTrack);
      if (sub) { sub.set(stream, sender); senders.set(newTrack, sub); }
    },
    addTrack(track, stream) {
      if (closed || destroying) return;
      try { addTrackNow(track, stream); } catch (err) {
        emit('error', { code: (err as { code?: string }).code ?? 'ERR_ADD_TRACK', message: (err as Error).message });
      }
    },
    async getStats() {
      const live = pc;
      if (!live) return null;
      try { return await live.getStats(); } catch { return null; }
    },
    connectionState() { return lastPc?.connectionState ?? 'closed'; },
    iceConnectionState() { return lastPc?.iceConnectionState ?? 'closed'; },
    destroy() { destroy(); },
  };
}
