/**
 * A hand-written check for the most frequent inbound frame, `signal` with an
 * offer/answer or an ICE candidate, ahead of the zod schema (messages.ts),
 * which stays the contract: zod's parse was ~8% of the server's CPU per
 * relayed frame (profile of the relay path), this check a small part of it.
 *
 * It only ever answers "valid, and here it is" or "not sure": anything it
 * does not recognise exactly (another frame type, a rare signal kind, a key
 * zod would strip, a bound crossed, a wrong type) goes to zod, which then
 * accepts or refuses it with its usual typed error. When it answers, the
 * value is the parsed JSON object itself, which zod would have returned
 * unchanged (nothing to strip). The property tests in
 * tests/unit/signaling/fast-signal.test.ts hold it to that.
 */
import type { ClientMessage, ServerMessage } from './messages';

// Bounds from messages.ts (id, SignalData); the tests compare against zod on random frames.
const ID = /^[A-Za-z0-9_\-.:]{1,128}$/;
const SDP_MAX = 48_000;
const CANDIDATE_MAX = 1024;
const MID_MAX = 64;
const UFRAG_MAX = 256;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** `frame` (from JSON.parse) if it is a `signal` frame zod would accept unchanged; otherwise undefined. */
export function fastSignal(frame: unknown): ClientMessage | undefined {
  return vouch(frame, 'to') as ClientMessage | undefined;
}

/**
 * The same for the server's `signal` frames, which the pages parse (`from` instead of `to`).
 * The pages run zod without its JIT, where an offer frame took it milliseconds on the
 * customer's main thread just as the answer was being made.
 */
export function fastServerSignal(frame: unknown): ServerMessage | undefined {
  return vouch(frame, 'from') as ServerMessage | undefined;
}

function vouch(frame: unknown, peerKey: 'to' | 'from'): object | undefined {
  if (!isObject(frame) || frame.type !== 'signal') return undefined;
  // exactly type, to/from, data: the client's frame is strict, and from the server's zod strips any other key
  let keys = 0;
  for (const k in frame) {
    if (k !== 'type' && k !== peerKey && k !== 'data') return undefined;
    keys++;
  }
  if (keys !== 3 || Object.getPrototypeOf(frame) !== Object.prototype) return undefined;
  const peer = frame[peerKey];
  const data = frame.data;
  if (typeof peer !== 'string' || !ID.test(peer) || !isObject(data) || Object.getPrototypeOf(data) !== Object.prototype) return undefined;
  switch (data.type) {
    case 'offer': case 'answer': case 'pranswer': case 'rollback':
      // only type and sdp: any other key is stripped, which is zod's to do
      for (const k in data) if (k !== 'type' && k !== 'sdp') return undefined;
      if (has(data, '__proto__')) return undefined;
      if (has(data, 'sdp') && (typeof data.sdp !== 'string' || data.sdp.length > SDP_MAX)) return undefined;
      return frame;
    case 'candidate': {
      // the signal object itself strips unknown keys: with any, let zod do it
      for (const k in data) if (k !== 'type' && k !== 'candidate') return undefined;
      const c = data.candidate;
      if (!isObject(c) || Object.getPrototypeOf(c) !== Object.prototype || has(c, '__proto__')) return undefined;
      for (const k in c) if (k !== 'candidate' && k !== 'sdpMid' && k !== 'sdpMLineIndex' && k !== 'usernameFragment') return undefined;
      if (typeof c.candidate !== 'string' || c.candidate.length > CANDIDATE_MAX) return undefined;
      if (has(c, 'sdpMid') && c.sdpMid !== null && (typeof c.sdpMid !== 'string' || c.sdpMid.length > MID_MAX)) return undefined;
      if (has(c, 'sdpMLineIndex') && c.sdpMLineIndex !== null && !(Number.isInteger(c.sdpMLineIndex) && (c.sdpMLineIndex as number) >= 0 && (c.sdpMLineIndex as number) <= 64)) return undefined;
      if (has(c, 'usernameFragment') && c.usernameFragment !== null && (typeof c.usernameFragment !== 'string' || c.usernameFragment.length > UFRAG_MAX)) return undefined;
      return frame;
    }
    default:
      return undefined;
  }
}
