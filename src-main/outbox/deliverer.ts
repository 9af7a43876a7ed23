import type { OutboxCounts, OutboxItem } from '../cases/data/types';
import { backoffDelay } from './backoff';

/** The outbox table as the deliverer uses it (the SQL lives in src-main/cases/data/). */
export interface OutboxStore {
  /** Heads of up to `limit` cases (each case's oldest pending row), soonest due first. */
  heads(limit: number): Promise<OutboxItem[]>;
  counts(): Promise<OutboxCounts>;
  delivered(seq: number, at: number): Promise<void>;
  retryAt(seq: number, at: number, error: string): Promise<void>;
  dead(seq: number, error: string, at: number): Promise<void>;
}

export interface CrmEndpoint {
  url: string;
  /** Sent as `Authorization: Bearer …` when set. */
  token?: string;
  /** A token fetched for each request (the agent's sign-in, which expires and is renewed); wins over `token`. */
  getToken?: () => Promise<string>;
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
  /** Reporting only, on case_opened: the customer's keyed hashes (signaling-server/reporting/types.ts). */
  customerKeys?: string[];
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
  private readonly inFlight = new Map<number, AbortController>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private running = false;
  private pumping = false;
  private pumpAgain = false;
  private idle: Array<() => void> = [];

  constructor(
    private readonly queue: OutboxStore,
    private readonly endpoint: CrmEndpoint,
    private readonly installId: string | Promise<string>,
    private readonly deps: {
      now?: () => number; random?: () => number; fetch?: typeof fetch; onError?: (e: Error) => void;
      /** Adds to what is sent (reporting: the customer keys on case_opened). */
      enrich?: (payload: CrmDelivery) => Promise<CrmDelivery>;
    } = {},
  ) {}

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

  status(): Promise<OutboxCounts> { return this.queue.counts(); }

  /** Resolves when nothing is pending (tests, shutdown drains). */
  async whenIdle(): Promise<void> {
    if ((await this.queue.counts()).pending === 0) return;
    return new Promise((r) => this.idle.push(r));
  }

  /**
   * One pass at a time: the heads are read asynchronously, and two passes
   * overlapping could both pick the same head. A request during a pass runs
   * one more pass after it.
   */
  private pump(): void {
    if (!this.running) return;
    if (this.pumping) { this.pumpAgain = true; return; }
    this.pumping = true;
    this.pumpOnce().catch((err: Error) => {
      // The database is closing or busy: the rows are still pending; look again shortly.
      this.deps.onError?.(err);
      if (this.running) this.wakeAt(this.now() + 1000);
    }).finally(() => {
      this.pumping = false;
      if (this.pumpAgain) { this.pumpAgain = false; this.pump(); }
    });
  }

  private async pumpOnce(): Promise<void> {
    const concurrency = this.endpoint.concurrency ?? 4;
    const heads = await this.queue.heads(concurrency * 8 + this.inFlight.size);
    if (!this.running) return;
    const now = this.now();
    let soonest = Infinity;
    for (const item of heads) {
      if (this.inFlight.has(item.caseId)) continue;
      if (item.nextAt > now) { soonest = Math.min(soonest, item.nextAt); continue; }
      if (this.inFlight.size >= concurrency) break;
      void this.send(item);
    }
    if (this.inFlight.size === 0 && soonest === Infinity && this.idle.length) {
      if ((await this.queue.counts()).pending === 0) for (const r of this.idle.splice(0)) r();
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
    if (this.inFlight.get(item.caseId) !== ctrl || !this.running) return; // stopped meanwhile: leave the row pending
    try {
      const now = this.now();
      if (outcome.kind === 'delivered') await this.queue.delivered(item.seq, now);
      else if (outcome.kind === 'dead') await this.queue.dead(item.seq, outcome.error, now);
      else {
        const delay = outcome.afterMs ?? backoffDelay(item.attempts, { baseMs: this.endpoint.baseDelayMs ?? 500, maxMs: this.endpoint.maxDelayMs ?? 60_000 }, this.deps.random);
        await this.queue.retryAt(item.seq, Math.round(now + delay), outcome.error);
      }
      // Only now is the case free again: a pass that read its heads before this commit must not resend the row.
      if (this.inFlight.get(item.caseId) === ctrl) this.inFlight.delete(item.caseId);
      this.pump();
    } catch (err) {
      // The database is closing or busy: the row is still pending; look again shortly.
      if (this.inFlight.get(item.caseId) === ctrl) this.inFlight.delete(item.caseId);
      this.deps.onError?.(err as Error);
      if (this.running) this.wakeAt(this.now() + 1000);
    }
  }

  private async post(item: OutboxItem, ctrl: AbortController): Promise<Outcome> {
    const installId = await this.installId;
    const key = `${installId}:${item.seq}`;
    let payload: CrmDelivery = {
      idempotencyKey: key, installId, seq: item.seq, caseId: item.caseId, customerId: item.customerId,
      type: item.type, at: item.at, agentId: item.agentId, body: JSON.parse(item.body),
    };
    const timeout = AbortSignal.timeout(this.endpoint.timeoutMs ?? 10_000);
    try {
      if (this.deps.enrich) payload = await this.deps.enrich(payload);
      const token = this.endpoint.getToken ? await this.endpoint.getToken() : this.endpoint.token;
      const res = await (this.deps.fetch ?? fetch)(this.endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': key,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
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
