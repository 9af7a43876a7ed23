/// <reference path="../../../../src-renderer/call/peer/simple-peer.d.ts" />
/**
 * In-page harness for native-peer.test.ts (bundled by esbuild, run in
 * Chromium): a simple-peer initiator (peer.ts, as the agent runs it) and the
 * native answerer (native-peer.ts, as the customer runs it) in one page, every
 * signal passed through JSON and the wire's SignalData schema on its way, as
 * the signaling server would relay it.
 */
import { createPeer } from '../../../../src-renderer/call/peer/peer';
import { createNativePeer } from '../../../../src-renderer/call/peer/native-peer';
import type { Peer } from '../../../../src-renderer/call/peer/peer-types';
import { SignalData } from '../../../../signaling-server/protocol/messages';

type Side = { peer: Peer; data: Array<string | number[]>; signals: SignalData[]; tracks: string[]; events: string[]; errors: string[] };

function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const tick = () => {
      if (cond()) res();
      else if (performance.now() - t0 > ms) rej(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

function canvasVideo(): MediaStream {
  const c = document.createElement('canvas');
  c.width = 160; c.height = 120;
  const g = c.getContext('2d')!;
  let n = 0;
  setInterval(() => { g.fillStyle = `hsl(${(n += 7) % 360} 80% 50%)`; g.fillRect(0, 0, 160, 120); }, 30);
  return c.captureStream(30);
}

function toneAudio(): MediaStreamTrack {
  const ac = new AudioContext();
  const o = ac.createOscillator();
  const d = ac.createMediaStreamDestination();
  o.connect(d); o.start();
  return d.stream.getAudioTracks()[0]!;
}

function side(peer: Peer): Side {
  const s: Side = { peer, data: [], signals: [], tracks: [], events: [], errors: [] };
  peer.on('data', (d) => s.data.push(typeof d === 'string' ? d : [...d]));
  peer.on('track', (t) => s.tracks.push(t.kind));
  peer.on('connect', () => s.events.push('connect'));
  peer.on('close', () => s.events.push('close'));
  peer.on('stream', () => s.events.push('stream'));
  peer.on('error', (e) => s.errors.push(e.code));
  peer.on('signal', (d) => s.signals.push(d));
  return s;
}

/** Relay signals between the two, each through JSON and the schema; `hold` lets a test reorder the initiator's. */
function wire(a: Side, b: Side, opts: { holdOfferUntilCandidates?: boolean } = {}) {
  const relay = (to: Peer, d: SignalData) => to.signal(SignalData.parse(JSON.parse(JSON.stringify(d))));
  let held: SignalData | null = null;
  let candidatesFirst = 0;
  a.peer.on('signal', (d) => {
    if (opts.holdOfferUntilCandidates && d.type === 'offer' && !held && candidatesFirst === 0) { held = d; return; }
    if (held && d.type === 'candidate') {
      relay(b.peer, d);
      if (++candidatesFirst === 1) { const o = held; held = null; setTimeout(() => relay(b.peer, o), 50); }
      return;
    }
    relay(b.peer, d);
  });
  b.peer.on('signal', (d) => relay(a.peer, d));
}

async function connected(a: Side, b: Side) {
  await until(() => a.events.includes('connect') && b.events.includes('connect'), 'connect on both sides');
}

const remoteUfrag = (pc: RTCPeerConnection | null) => /a=ice-ufrag:(\S+)/.exec(pc?.remoteDescription?.sdp ?? '')?.[1] ?? null;

const scenarios = {
  /** Offer/answer with the agent's receive-only video slot; data both ways, text and binary; the camera arrives. */
  async basic() {
    const cam = canvasVideo();
    const a = side(createPeer({ initiator: true, receiveOnly: ['video'] }));
    const b = side(createNativePeer({ initiator: false, stream: cam }));
    wire(a, b, { holdOfferUntilCandidates: true });
    await connected(a, b);
    a.peer.send('hello'); a.peer.send(new Uint8Array([1, 2, 3]));
    b.peer.send('hi'); b.peer.send(new Uint8Array([250, 0, 7]));
    await until(() => a.data.length === 2 && b.data.length === 2, 'data both ways');
    await until(() => a.tracks.includes('video') && a.events.includes('stream'), 'the camera at the initiator');
    // the channel's own figure (Chromium updates it a task after sending, sometimes much later: no exact value is asserted)
    const queued = b.peer.bufferedAmount();
    const answer = b.signals.find((s) => s.type === 'answer');
    const stats = await b.peer.getStats();
    let pairSucceeded = false;
    stats?.forEach((r) => { if (r.type === 'candidate-pair' && r.state === 'succeeded') pairSucceeded = true; });
    const out = {
      aData: a.data, bData: b.data, aTracks: a.tracks, aEvents: a.events, bEvents: b.events,
      bSignalTypes: [...new Set(b.signals.map((s) => s.type))],
      answerHasStartBitrate: /x-google-start-bitrate=/.test(answer && 'sdp' in answer ? answer.sdp ?? '' : ''),
      bConnected: b.peer.connected, pairSucceeded,
      queued,
      errors: [...a.errors, ...b.errors],
    };
    a.peer.destroy(); b.peer.destroy();
    return out;
  },

  /**
   * The answerer's tracks beyond the offer's slots: its microphone is in the stream from the
   * start (the offer has no audio slot: a transceiverRequest), then a second video track is
   * added on the live link (a renegotiate request). Both reach the initiator.
   */
  async answererTracks() {
    const cam = canvasVideo();
    const mic = toneAudio();
    const stream = new MediaStream([cam.getVideoTracks()[0]!, mic]);
    const a = side(createPeer({ initiator: true, receiveOnly: ['video'] }));
    const b = side(createNativePeer({ initiator: false, stream }));
    wire(a, b);
    await connected(a, b);
    await until(() => a.tracks.includes('audio'), 'the microphone via a transceiver request');
    const extra = canvasVideo();
    b.peer.addTrack(extra.getVideoTracks()[0]!, extra);
    await until(() => a.tracks.filter((k) => k === 'video').length >= 2, 'the added track via renegotiation');
    // the link still carries data after both renegotiations
    b.peer.send('after');
    await until(() => a.data.includes('after'), 'data after renegotiation');
    const out = { bSignalTypes: b.signals.map((s) => s.type).filter((t) => t !== 'candidate'), aTracks: a.tracks, errors: [...a.errors, ...b.errors] };
    a.peer.destroy(); b.peer.destroy();
    return out;
  },

  /** ICE restart driven by the initiator (the agent's recovery), then asked for by the answerer. */
  async iceRestart() {
    const a = side(createPeer({ initiator: true, receiveOnly: ['video'] }));
    const b = side(createNativePeer({ initiator: false, stream: canvasVideo() }));
    wire(a, b);
    await connected(a, b);
    const before = remoteUfrag(b.peer.pc);
    a.peer.restartIce();
    await until(() => remoteUfrag(b.peer.pc) !== before && b.peer.pc?.signalingState === 'stable' && a.peer.pc?.signalingState === 'stable', 'the restart offer answered');
    await until(() => ['connected', 'completed'].includes(b.peer.iceConnectionState()), 'ICE connected again');
    a.peer.send('after-restart');
    await until(() => b.data.includes('after-restart'), 'data after the restart');
    const answersBefore = b.signals.filter((s) => s.type === 'answer').length;
    b.peer.restartIce();
    await until(() => b.signals.filter((s) => s.type === 'answer').length > answersBefore && b.peer.pc?.signalingState === 'stable', 'a new offer asked for by the answerer');
    const out = {
      ufragChanged: remoteUfrag(b.peer.pc) !== before,
      renegotiateAsked: b.signals.some((s) => s.type === 'renegotiate'),
      ice: b.peer.iceConnectionState(), aEvents: a.events, bEvents: b.events, errors: [...a.errors, ...b.errors],
    };
    a.peer.destroy(); b.peer.destroy();
    return out;
  },

  /**
   * Either side ending its peer: the native answerer closes when the initiator goes (its channel
   * closes). The other way round, simple-peer's initiator only sees its channel close (it emits no
   * 'close' of its own, whatever answers it: `impl` runs the same with simple-peer answering).
   */
  async destroy(which: 'initiator' | 'answerer', impl: 'native' | 'simple-peer' = 'native') {
    const a = side(createPeer({ initiator: true, receiveOnly: ['video'] }));
    const b = side((impl === 'native' ? createNativePeer : createPeer)({ initiator: false, stream: canvasVideo() }));
    wire(a, b);
    await connected(a, b);
    (which === 'initiator' ? a : b).peer.destroy();
    const survivor = which === 'initiator' ? b : a;
    await until(() => (which === 'initiator' ? survivor.events.includes('close') : !survivor.peer.connected) && (which === 'initiator' ? a : b).events.includes('close'), 'the other side to notice', 10_000);
    return {
      survivorEvents: survivor.events, survivorConnected: survivor.peer.connected, survivorErrors: survivor.errors,
      goneEvents: (which === 'initiator' ? a : b).events, goneErrors: (which === 'initiator' ? a : b).errors,
      bPcNull: b.peer.pc === null || which === 'answerer' ? b.peer.pc === null : null, bState: b.peer.connectionState(),
    };
  },

  /** A signal that is none of the known kinds ends the peer with a typed error, as simple-peer does. */
  async badSignal() {
    const b = side(createNativePeer({ initiator: false }));
    b.peer.signal({ type: 'bogus' } as unknown as SignalData);
    await until(() => b.events.includes('close'), 'close');
    return { errors: b.errors, destroyed: b.peer.destroyed };
  },

  /** The answering side only: asking for an initiator is a programming error. */
  initiatorRefused() {
    try { createNativePeer({ initiator: true }); return 'created'; } catch (e) { return (e as Error).message; }
  },
};

(window as unknown as { scenarios: typeof scenarios }).scenarios = scenarios;
