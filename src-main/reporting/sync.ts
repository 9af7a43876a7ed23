/**
 * The workstation's side of reporting: case events go to the reporting
 * endpoint on the signaling node through their own outbox (the same
 * deliverer as the CRM's: in order per case, at least once, idempotent by
 * `installId:seq`), authenticated with the agent's sign-in token; and what
 * the node sends back (supervisors' verdicts on credits, customers' survey
 * answers) is written into the cases once.
 *
 * The customer never leaves the desktop by name or number: `case_opened`
 * carries HMAC-SHA256 hashes of the customer's numbers and account numbers,
 * keyed with the node's pepper, so the node can see a repeat contact from
 * another desktop (first-contact resolution) and nothing more.
 */
import { createHmac } from 'node:crypto';
import type { CaseData } from '../cases/data/client';
import { OutboxDeliverer, type CrmDelivery } from '../outbox/deliverer';

export interface ReportingEndpoint {
  /** Base URL of the signaling node (the reporting endpoints are under /reporting/v1/). */
  baseUrl: string;
  /** The agent's sign-in token (a service token until the IdP path lands). */
  getToken: () => Promise<string>;
  /** How often to look for verdicts and survey answers (default 15 s). */
  inboxIntervalMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export function customerKey(pepper: string, kind: 'tel' | 'acct', value: string): string {
  return createHmac('sha256', pepper).update(`${kind}:${value}`).digest('hex');
}

export class ReportingSync {
  readonly outbox: OutboxDeliverer;
  private pepperP: Promise<string> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly data: CaseData,
    private readonly endpoint: ReportingEndpoint,
    private readonly installId: Promise<string>,
    /** Who is signed in now: the author of the verdict and survey events written into cases. */
    private readonly agentId: () => string,
    private readonly deps: { now: () => number; fetch?: typeof fetch; onError?: (e: Error) => void; onWritten?: () => void },
  ) {
    this.outbox = new OutboxDeliverer({
      heads: (limit) => data.reader.reportingHeads(limit),
      counts: () => data.reader.reportingCounts(),
      delivered: (seq, at) => data.writer.reportingDelivered(seq, at),
      retryAt: (seq, at, error) => data.writer.reportingRetry(seq, at, error),
      dead: (seq, error, at) => data.writer.reportingDead(seq, error, at),
    }, {
      url: `${endpoint.baseUrl}/reporting/v1/events`,
      getToken: endpoint.getToken,
      ...(endpoint.baseDelayMs !== undefined ? { baseDelayMs: endpoint.baseDelayMs } : {}),
      ...(endpoint.maxDelayMs !== undefined ? { maxDelayMs: endpoint.maxDelayMs } : {}),
    }, installId, { now: deps.now, ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(deps.onError ? { onError: deps.onError } : {}), enrich: (p) => this.enrich(p) });
  }

  start(): void {
    this.outbox.start();
    const every = this.endpoint.inboxIntervalMs ?? 15_000;
    const tick = () => {
      if (this.stopped) return;
      this.pollInbox().catch((e: Error) => this.deps.onError?.(e)).finally(() => {
        if (!this.stopped) { this.timer = setTimeout(tick, every); this.timer.unref?.(); }
      });
    };
    tick();
  }

  kick(): void { this.outbox.kick(); }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.outbox.stop();
    await this.polling?.catch(() => undefined);
  }

  /** Fetch verdicts and survey answers now and write them into their cases; returns how many were written. */
  pollInbox(): Promise<number> {
    this.polling ??= this.pollOnce().finally(() => { this.polling = null; });
    return this.polling;
  }

  private async pollOnce(): Promise<number> {
    const installId = await this.installId;
    const cur = await this.data.reader.inboxCursors();
    const url = `${this.endpoint.baseUrl}/reporting/v1/inbox?installId=${encodeURIComponent(installId)}&reviewsAfter=${cur.reviewsAfter}&surveysAfter=${cur.surveysAfter}`;
    const res = await this.get(url);
    if (!res.ok) throw new Error(`reporting inbox: HTTP ${res.status}`);
    const body = await res.json() as { reviews: Array<{ id: number; caseId: number; creditSeq: number; verdict: 'fine' | 'questioned'; note: string | null; reviewerId: string }>; surveys: Array<{ id: number; roomId: string; score: number; comment: string | null }> };
    if (!body.reviews.length && !body.surveys.length) return 0;
    const r = await this.data.writer.applyInbox({
      reviews: body.reviews.map((x) => ({ id: x.id, caseId: x.caseId, creditSeq: x.creditSeq, verdict: x.verdict, note: x.note, reviewerId: x.reviewerId })),
      surveys: body.surveys.map((x) => ({ id: x.id, roomId: x.roomId, score: x.score, comment: x.comment })),
      agentId: this.agentId(), at: this.deps.now(),
    });
    if (r.written.length) { this.outbox.kick(); this.deps.onWritten?.(); }
    return r.written.length;
  }

  private async get(url: string): Promise<Response> {
    return (this.deps.fetch ?? fetch)(url, { headers: { authorization: `Bearer ${await this.endpoint.getToken()}` }, signal: AbortSignal.timeout(10_000) });
  }

  private pepper(): Promise<string> {
    this.pepperP ??= (async () => {
      const res = await this.get(`${this.endpoint.baseUrl}/reporting/v1/config`);
      if (!res.ok) throw new Error(`reporting config: HTTP ${res.status}`);
      const { customerKeyPepper } = await res.json() as { customerKeyPepper: string };
      if (typeof customerKeyPepper !== 'string' || customerKeyPepper.length < 16) throw new Error('reporting config: no pepper');
      return customerKeyPepper;
    })().catch((e: unknown) => { this.pepperP = null; throw e; });
    return this.pepperP;
  }

  private async enrich(p: CrmDelivery): Promise<CrmDelivery> {
    if (p.type !== 'case_opened') return p;
    const [pepper, customer] = await Promise.all([this.pepper(), this.data.reader.customerById(p.customerId)]);
    if (!customer) return p;
    const keys = [...customer.phones.map((n) => customerKey(pepper, 'tel', n)), ...customer.accounts.map((a) => customerKey(pepper, 'acct', a.number))];
    return { ...p, customerKeys: keys };
  }
}
