/**
 * TURN REST API credentials (draft-uberti-behave-turn-rest, what coturn's
 * --use-auth-secret implements): username `<unix-expiry>:<memberId>`,
 * credential base64(HMAC-SHA1(sharedSecret, username)). The server never
 * stores them; coturn recomputes the HMAC and rejects expired usernames.
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from './protocol/index';

export interface TurnConfig {
  /** Shared secret, identical to coturn's static-auth-secret. */
  secret: string;
  /** turn:/turns: URLs handed to clients, e.g. turn:turn.example.com:3478?transport=udp. */
  urls: string[];
  /** Credential lifetime in seconds (keep it short: a leaked credential is usable until then). */
  ttlSec: number;
}

export interface IceConfig {
  /** STUN URLs (no credentials). */
  stunUrls: string[];
  turn?: TurnConfig | undefined;
  /** Extra static ICE servers, passed through as configured. */
  extra?: IceServer[];
}

export interface TurnCredential { username: string; credential: string; expiresAt: number }

/** Member ids are ours ([A-Za-z0-9_.:-]); a ':' inside is fine for coturn, it splits on the first one only. */
export function turnCredential(secret: string, memberId: string, ttlSec: number, nowMs = Date.now()): TurnCredential {
  const expiry = Math.floor(nowMs / 1000) + Math.max(1, Math.floor(ttlSec));
  const username = `${expiry}:${memberId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: expiry * 1000 };
}

/** The list for `welcome.iceServers`: STUN first, then TURN with this member's own credential. */
export function iceServersFor(memberId: string, cfg: IceConfig, nowMs = Date.now()): IceServer[] {
  const out: IceServer[] = [];
  if (cfg.stunUrls.length) out.push({ urls: cfg.stunUrls.length === 1 ? cfg.stunUrls[0]! : cfg.stunUrls });
  if (cfg.turn && cfg.turn.urls.length) {
    const c = turnCredential(cfg.turn.secret, memberId, cfg.turn.ttlSec, nowMs);
    out.push({ urls: cfg.turn.urls.length === 1 ? cfg.turn.urls[0]! : cfg.turn.urls, username: c.username, credential: c.credential });
  }
  if (cfg.extra) out.push(...cfg.extra);
  return out;
}
