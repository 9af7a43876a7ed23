/**
 * Exponential backoff with full jitter (a random delay between 0 and the
 * exponential cap): many workstations recovering from the same CRM outage
 * spread their retries instead of arriving together.
 */
export function backoffDelay(attempt: number, opts: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(Math.ceil(opts.baseMs / 2), Math.floor(random() * cap));
}
