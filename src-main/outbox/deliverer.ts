import type { Database } from 'better-sqlite3';
import { backoffDelay } from './backoff';
import { OutboxQueue, type OutboxItem } from './queue';

export interface CrmEndpoint {
  url: string;
  /** Sent as `Authorization: Bearer …` when set. */
  token?: string;
  timeoutMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Cases delivered in parallel (each case is still strictly sequential). */
  concurrency?: number;
}

/** What the CRM receives for each event (also documented in docs/CASES.md). */
export interface CrmDelivery {
  idempotencyKey: string;
  installId: string;
  seq: number;
  caseId: number;
  customerId: number;
  type: string;
  at: number;
  agentId: string;
  body: unknown;
}

type Outcome = { kind: 'delivered' } | { kind: 'retry'; error: string; afterMs?: number } | { kind: 'dead'; error: string };

/**
 * Sends queued events to the CRM: one request per event, the idempotency key
 * in the body and the `Idempotency-Key` header, at-least-once (a request
 * that timed out after the CRM stored it is sent again with the same key, so
 * the CRM keeps it once). Per case, event N+1 is not sent before N is
 * delivered. State lives only in the outbox table, so a restart resumes
 * exactly where the last one stopped.
 */
export class OutboxDeliverer {
  private readonly queue: OutboxQueue;
  private readonly inFlight = new Map<number, AbortController>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private running = false;
  private idle: Array<() => void> = [];

  constructor(
    db: Database,
    private readonly endpoint: CrmEndpoint,
    private readonly installId: string,
    private readonly deps: { now?: () => number; random?: () => number; fetch?: typeof fetch; onError?: (e: Error) => void } = {},
  ) {
    this.queue = new OutboxQueue(db);
  }

  private now(): number { return (this.deps.now ?? Date.now)(); }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.pump();
  }

  /** Stop sending; requests in flight are abandoned (their rows stay pending and are resent later). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const c of this.inFlight.values()) c.abort();
    this.inFlight.clear();
  }

  /** New events are waiting. */
  kick(): void {
    if (this.running) this.pump();
  }

  status() { return this.queue.status(); }

  /** Resolves when nothing is pending (tests, shutdown drains). */
  whenIdle(): Promise<void> {
    if (this.queue.status().pending === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  private pump(): void {
    if (!this.running) return;
    const concurrency = this.endpoint.concurrency ?? 4;
    const now = this.now();
    let soonest = Infinity;
    for (const item of this.queue.headsOfCases(concurrency * 8 + this.inFlight.size)) {
      if (this.inFlight.has(item.caseId)) continue;
      if (item.nextAt > now) { soonest = Math.min(soonest, item.nextAt); continue; }
      if (this.inFlight.size >= concurrency) break;
      void this.send(item);
    }
    if (this.inFlight.size === 0 && soonest === Infinity) {
      const pending = this.queue.status().pending;
      if (pending === 0) for (const r of this.idle.splice(0)) r();
    }
    if (soonest !== Infinity) this.wakeAt(soonest);
  }

  private wakeAt(at: number): void {
    if (this.timer && at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => { this.timer = null; this.timerAt = Infinity; this.pump(); }, Math.max(0, at - this.now()));
    this.timer.unref?.();
  }

  private async send(item: OutboxItem): Promise<void> {
    const ctrl = new AbortController();
    this.inFlight.set(item.caseId, ctrl);
    const outcome = await this.post(item, ctrl);
    if (this.inFlight.get(item.caseId) !== ctrl) return; // stopped meanwhile: leave the row pending
    this.inFlight.delete(item.caseId);
    if (!this.running) return;
    try {
      const now = this.now();
      if (outcome.kind === 'delivered') this.queue.delivered(item.seq, now);
      else if (outcome.kind === 'dead') this.queue.dead(item.seq, outcome.error, now);
      else {
        const delay = outcome.afterMs ?? backoffDelay(item.attempts, { baseMs: this.endpoint.baseDelayMs ?? 500, maxMs: this.endpoint.maxDelayMs ?? 60_000 }, this.deps.random);
        this.queue.retryAt(item.seq, Math.round(now + delay), outcome.error);
      }
      this.pump();
    } catch (err) {
      // The database is closing or busy: the row is still pending; look again shortly.
      this.deps.onError?.(err as Error);
      if (this.running) this.wakeAt(this.now() + 1000);
    }
  }

  private async post(item: OutboxItem, ctrl: AbortController): Promise<Outcome> {
    const key = `${this.installId}:${item.seq}`;
    const payload: CrmDelivery = {
      idempotencyKey: key, installId: this.installId, seq: item.seq, caseId: item.caseId, customerId: item.customerId,
      type: item.type, at: item.at, agentId: item.agentId, body: JSON.parse(item.body),
    };
    const timeout = AbortSignal.timeout(this.endpoint.timeoutMs ?? 10_000);
    try {
      const res = await (this.deps.fetch ?? fetch)(this.endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': key,
          ...(this.endpoint.token ? { authorization: `Bearer ${this.endpoint.token}` } : {}),
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.any([ctrl.signal, timeout]),
      });
      await res.arrayBuffer().catch(() => undefined);
      // 409: the CRM already holds this key (a replay after a lost answer) — that is delivered.
      if (res.ok || res.status === 409) return { kind: 'delivered' };
      if (res.status === 408 || res.status === 425 || res.status === 429 || res.status >= 500) {
        const ra = Number(res.headers.get('retry-after'));
        return { kind: 'retry', error: `HTTP ${res.status}`, ...(Number.isFinite(ra) && ra > 0 ? { afterMs: Math.min(ra * 1000, this.endpoint.maxDelayMs ?? 60_000) } : {}) };
      }
      // Any other 4xx will never succeed as sent: park it so later events of the case are not blocked forever.
      return { kind: 'dead', error: `HTTP ${res.status} (rejected by the CRM)` };
    } catch (err) {
      const e = err as Error;
      return { kind: 'retry', error: timeout.aborted ? `timed out after ${this.endpoint.timeoutMs ?? 10_000} ms` : `${e.name}: ${e.message}` };
    }
  }
}
