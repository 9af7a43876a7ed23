/**
 * The abuse limits of one signaling node, in one place: each check returns
 * `null` when the request may proceed or a typed `LimitHit` the server sends
 * back as an `error` frame; every hit is counted (signaling_limit_hits_total).
 */
import type { ErrorCode } from '../protocol/index';
import { KeyedRateLimiter, TokenBucket } from './token-bucket';
import { CodeAttemptGuard, MemoryCounterStore, type CodeGate, type CodeLimitConfig, type CounterStore } from './codes';

export type LimitName =
  | 'frame_size' | 'message_rate' | 'connection_rate' | 'room_members'
  | 'idle_timeout' | 'heartbeat_timeout' | 'code_address_lockout' | 'code_address_busy' | 'code_global_pause' | 'unauthenticated_sockets';

/** 'timeout' is added to the protocol's ErrorCode when limits are wired into the server. */
export type LimitErrorCode = ErrorCode | 'timeout';
export interface LimitHit { limit: LimitName; code: LimitErrorCode; message: string; retryAfterMs?: number }

export interface AbuseLimitsConfig {
  maxFrameBytes: number;
  messagesPerSec: number;
  messageBurst: number;
  connectionsPerMinPerAddress: number;
  connectionBurstPerAddress: number;
  maxMembersPerRoom: number;
  idleTimeoutSec: number;
  /** A socket must authenticate or join within this from connect (0: only the idle time-out applies). */
  authTimeoutSec: number;
  /** Sockets not yet authenticated or joined, from one address / on the whole node. */
  maxUnauthenticatedPerAddress: number;
  maxUnauthenticatedTotal: number;
  heartbeatIntervalSec: number;
  codes: CodeLimitConfig;
}

export const DEFAULT_ABUSE_LIMITS: AbuseLimitsConfig = {
  maxFrameBytes: 64 * 1024,
  // trickle ICE sends bursts of candidates; a steady 100/s is far above any real client
  messagesPerSec: 100,
  messageBurst: 1000,
  // a NAT can put a whole office behind one address
  connectionsPerMinPerAddress: 600,
  connectionBurstPerAddress: 200,
  maxMembersPerRoom: 3,
  idleTimeoutSec: 30 * 60,
  authTimeoutSec: 60,
  // a call centre's customers share few NATs, but each is anonymous only for the moment before join
  maxUnauthenticatedPerAddress: 100,
  maxUnauthenticatedTotal: 10_000,
  heartbeatIntervalSec: 15,
  codes: { digits: 10, codeTtlSec: 600, maxFailuresPerAddress: 5, windowSec: 60, lockoutSec: 900, globalFailuresPerWindow: 20, maxConcurrentPerAddress: 2 },
};

/** Where the limit hits are counted; the server passes its metrics counter. */
export interface HitCounter { inc(labels?: Record<string, string>, by?: number): void }

export class AbuseLimits {
  private readonly connections: KeyedRateLimiter;
  readonly codes: CodeAttemptGuard;
  constructor(readonly cfg: AbuseLimitsConfig, private readonly counter?: HitCounter, codeStore: CounterStore = new MemoryCounterStore()) {
    this.connections = new KeyedRateLimiter(cfg.connectionsPerMinPerAddress / 60, cfg.connectionBurstPerAddress);
    this.codes = new CodeAttemptGuard(cfg.codes, codeStore);
  }

  hit(limit: LimitName, code: LimitErrorCode, message: string, retryAfterMs?: number): LimitHit {
    this.counter?.inc({ limit });
    return retryAfterMs === undefined ? { limit, code, message } : { limit, code, message, retryAfterMs };
  }

  /** Per-socket message bucket, created at connect time. */
  messageBucket(now = Date.now()): TokenBucket { return new TokenBucket(this.cfg.messagesPerSec, this.cfg.messageBurst, now); }

  frame(bytes: number): LimitHit | null {
    return bytes > this.cfg.maxFrameBytes ? this.hit('frame_size', 'too_large', `frame of ${bytes} bytes exceeds ${this.cfg.maxFrameBytes}`) : null;
  }

  message(bucket: TokenBucket, now = Date.now()): LimitHit | null {
    if (bucket.take(now)) return null;
    return this.hit('message_rate', 'rate_limited', `more than ${this.cfg.messagesPerSec} messages per second`, bucket.retryAfterMs());
  }

  connection(address: string, now = Date.now()): LimitHit | null {
    const r = this.connections.take(address, now);
    return r.ok ? null : this.hit('connection_rate', 'rate_limited', `too many connections from this address (limit ${this.cfg.connectionsPerMinPerAddress}/min)`, r.retryAfterMs);
  }

  roomMembers(currentMembers: number): LimitHit | null {
    return currentMembers >= this.cfg.maxMembersPerRoom ? this.hit('room_members', 'room_full', `room already has ${this.cfg.maxMembersPerRoom} members`) : null;
  }

  /** Flags only (locked address, paused entry): refuse before reading the body. */
  async codeGate(address: string): Promise<LimitHit | null> {
    const g = await this.codes.check(address);
    return g.ok ? null : this.codeHit(g);
  }

  /** Count the attempt before the lookup; `done(right)` after it. */
  async codeAttempt(address: string): Promise<{ hit: LimitHit } | { hit: null, done(right: boolean): Promise<void> }> {
    const a = await this.codes.begin(address);
    return a.ok ? { hit: null, done: a.done } : { hit: this.codeHit(a) };
  }

  private codeHit(g: Exclude<CodeGate, { ok: true }>): LimitHit {
    if (g.reason === 'address_locked') return this.hit('code_address_lockout', 'rate_limited', 'too many wrong codes from this address; use the invite link or try later', g.retryAfterMs);
    if (g.reason === 'address_busy') return this.hit('code_address_busy', 'rate_limited', 'one code at a time from this address', g.retryAfterMs);
    return this.hit('code_global_pause', 'rate_limited', 'code entry is paused; use the invite link', g.retryAfterMs);
  }

  timeout(kind: 'idle_timeout' | 'heartbeat_timeout'): LimitHit {
    return this.hit(kind, 'timeout', kind === 'idle_timeout' ? 'closed after being idle too long' : 'closed: no heartbeat answer');
  }
}
