/**
 * The limits of one signaling node: its sizes and lifetimes (server-limits.ts)
 * and its abuse limits (abuse-limits.ts, with the buckets, code guard and
 * liveness monitor they are built from).
 */
export { DEFAULT_SERVER_LIMITS, type ServerLimits } from './server-limits';
export { AbuseLimits, DEFAULT_ABUSE_LIMITS, type AbuseLimitsConfig, type HitCounter, type LimitErrorCode, type LimitHit, type LimitName } from './abuse-limits';
export { TokenBucket, KeyedRateLimiter } from './token-bucket';
export { CodeAttemptGuard, MemoryCounterStore, guessSuccessBound, maxWrongGuesses, pauseSec, type CodeLimitConfig, type CounterStore } from './codes';
export { LivenessMonitor, type LivenessConfig, type Watched } from './liveness';
