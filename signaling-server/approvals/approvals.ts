/**
 * Credit approvals between an agent's workstation and signed-in supervisors.
 * The agent asks (POST /approvals, as itself); every supervisor socket, on
 * every node, sees the request live; the first supervisor to decide, on any
 * node, closes it for the others; an approval becomes a grant signed with the
 * deployment's key, bound to the case, amount, currency, agent and a one-time
 * nonce, sent to the agent's sockets wherever they are connected. A request
 * nobody answers expires and the agent is told, once.
 *
 * Only the supervisor role may decide, and nobody may decide their own
 * request: both enforced here, not in any client.
 *
 * Requests and outcomes live in an ApprovalStore (approval-store.ts): this
 * node's memory on a single node, Redis when several nodes share one, where
 * "decided at most once", the open limits and "expired once" hold across
 * nodes and a node restart loses nothing. Delivery (ApprovalDelivery) is the
 * hub's: in Redis mode the supervisors' and agents' bus channels carry the
 * frames to the other nodes.
 */
import { z } from 'zod';
import type { ApprovalOutcome, ApprovalRequest, ServerMessage } from '../protocol/index';
import type { Identity } from '../identity/identity';
import { randomBase64url, newId } from '../tokens';
import type { GrantSigner } from './grant-signer';
import type { ApprovalStore } from './approval-store';
import { MemoryApprovalStore } from './memory-approvals';

export const NewApprovalRequest = z.object({
  caseId: z.number().int().positive(),
  installId: z.string().max(128).regex(/^[A-Za-z0-9_\-.:]+$/).optional(),
  customerName: z.string().trim().min(1).max(200),
  amountMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/),
  reason: z.string().trim().min(1).max(500),
}).strict();
export type NewApprovalRequest = z.infer<typeof NewApprovalRequest>;

export const Decision = z.object({ decision: z.enum(['approve', 'decline']), note: z.string().max(500).optional() }).strict();

export interface ApprovalDelivery {
  /** To every supervisor socket on every node. */
  toSupervisors(msg: ServerMessage): void;
  /** To every socket of this agent, on whichever node. */
  toAgent(sub: string, msg: ServerMessage): void;
}

export interface ApprovalBookOptions {
  signer: GrantSigner;
  delivery: ApprovalDelivery;
  now: () => number;
  /** Where requests and outcomes are kept (default: this node's memory). */
  store?: ApprovalStore;
  /** How long a request waits for a supervisor (default 5 min). */
  requestTtlSec?: number;
  /** How long a grant stays usable once given (default 5 min). */
  grantTtlSec?: number;
  /** Open requests per agent (default 5) and in total, across the nodes (default 1000). */
  maxOpenPerAgent?: number;
  maxOpen?: number;
  log?: (rec: Record<string, unknown>) => void;
}

export type DecideResult =
  | { ok: true, outcome: 'approved' | 'declined', grantId?: string }
  | { ok: false, code: 'forbidden' | 'not_found' | 'already_decided' | 'expired', message: string };

export interface ApprovalStatus {
  state: 'open' | ApprovalOutcome;
  /** an approval's signed grant, while it is valid */
  grant?: string;
  approver?: { sub: string, name?: string };
}

export type CreateResult = { ok: true, request: ApprovalRequest } | { ok: false, code: 'forbidden' | 'too_many', message: string };

export class ApprovalBook {
  private readonly store: ApprovalStore;
  private readonly requestTtlMs: number;
  private readonly grantTtlSec: number;

  constructor(private readonly o: ApprovalBookOptions) {
    this.store = o.store ?? new MemoryApprovalStore();
    this.requestTtlMs = (o.requestTtlSec ?? 300) * 1000;
    this.grantTtlSec = o.grantTtlSec ?? 300;
  }

  async create(who: Identity, input: NewApprovalRequest): Promise<CreateResult> {
    if (!who.roles.includes('agent')) return { ok: false, code: 'forbidden', message: 'only an agent can ask for a credit approval' };
    const now = this.o.now();
    const request: ApprovalRequest = {
      requestId: newId('apr'),
      caseId: input.caseId,
      ...(input.installId !== undefined ? { installId: input.installId } : {}),
      customerName: input.customerName,
      amountMinor: input.amountMinor,
      currency: input.currency,
      reason: input.reason,
      agent: { sub: who.sub, ...(who.name ? { name: who.name } : {}) },
      requestedAt: now,
      expiresAt: now + this.requestTtlMs,
    };
    const added = await this.store.open(request, { maxOpenPerAgent: this.o.maxOpenPerAgent ?? 5, maxOpen: this.o.maxOpen ?? 1000 }, now);
    if (!added.ok) {
      return { ok: false, code: 'too_many', message: added.over === 'agent' ? 'too many open approval requests; wait for an answer' : 'too many open approval requests on this server' };
    }
    this.o.log?.({ ev: 'approval_requested', requestId: request.requestId, agent: who.sub, amountMinor: request.amountMinor, currency: request.currency });
    this.o.delivery.toSupervisors({ type: 'approval_requested', request });
    return { ok: true, request };
  }

  /** Open requests a supervisor may decide (not their own). */
  async pending(who: Identity): Promise<ApprovalRequest[] | undefined> {
    if (!who.roles.includes('supervisor')) return undefined;
    return (await this.store.list(this.o.now())).filter((r) => r.agent.sub !== who.sub);
  }

  /**
   * The agent's own view of one of its requests, undefined for anyone else's. An approval
   * carries its grant while the grant is valid: the agent whose socket was down when the
   * supervisor decided fetches it here (a grant fetched twice is used once: main records its nonce).
   */
  async status(who: Identity, requestId: string): Promise<ApprovalStatus | undefined> {
    const now = this.o.now();
    const r = await this.store.get(requestId);
    if (r) return r.agent.sub === who.sub ? { state: r.expiresAt > now ? 'open' : 'expired' } : undefined;
    const c = await this.store.closed(requestId, now);
    if (!c || c.agentSub !== who.sub) return undefined;
    const approver = c.by && c.outcome !== 'expired' ? { sub: c.by, ...(c.byName ? { name: c.byName } : {}) } : undefined;
    return {
      state: c.outcome,
      ...(approver ? { approver } : {}),
      ...(c.outcome === 'approved' && c.grant && c.grant.expiresAt > now ? { grant: c.grant.token } : {}),
    };
  }

  async decide(who: Identity, requestId: string, decision: 'approve' | 'decline'): Promise<DecideResult> {
    if (!who.roles.includes('supervisor')) return { ok: false, code: 'forbidden', message: 'only a supervisor can decide a credit approval' };
    const r = await this.store.get(requestId);
    if (!r) return this.notOpen(requestId);
    if (r.agent.sub === who.sub) return { ok: false, code: 'forbidden', message: 'nobody can approve their own credit' };
    const approver = { sub: who.sub, ...(who.name ? { name: who.name } : {}) };
    // Signed before the take (a request never changes once open): whoever wins the take
    // sends at once, and a grant signed by a decider who lost is never sent anywhere.
    const grantId = newId('g');
    const signedAt = this.o.now();
    const grant = decision === 'approve' ? await this.o.signer.sign({
      sub: r.agent.sub, jti: grantId, nonce: randomBase64url(16), rid: requestId,
      case: r.caseId, ...(r.installId !== undefined ? { ins: r.installId } : {}),
      amt: r.amountMinor, cur: r.currency, approver,
    }, { nowMs: signedAt, ttlSec: this.grantTtlSec }) : undefined;
    const outcome = decision === 'approve' ? 'approved' : 'declined';
    // the grant is kept with the outcome (for its lifetime, the signer's exp) for an agent that misses the frame
    const extra = { ...(who.name ? { byName: who.name } : {}), ...(grant ? { grant: { token: grant, expiresAt: (Math.floor(signedAt / 1000) + this.grantTtlSec) * 1000 } } : {}) };
    const taken = await this.store.take(requestId, outcome, who.sub, this.o.now(), extra);
    if (!taken.ok) {
      if (taken.reason === 'expired_now') { this.expired(taken.request); return closedResult('expired'); }
      if (taken.reason === 'closed') return closedResult(taken.closed.outcome);
      return { ok: false, code: 'not_found', message: 'no such approval request' };
    }
    this.announceClosed(requestId, outcome, who);
    if (grant) {
      this.o.delivery.toAgent(r.agent.sub, { type: 'approval_decided', requestId, outcome: 'approved', grant, approver });
      return { ok: true, outcome: 'approved', grantId };
    }
    this.o.delivery.toAgent(r.agent.sub, { type: 'approval_decided', requestId, outcome: 'declined', approver });
    return { ok: true, outcome: 'declined' };
  }

  private async notOpen(requestId: string): Promise<DecideResult> {
    const c = await this.store.closed(requestId, this.o.now());
    return c ? closedResult(c.outcome) : { ok: false, code: 'not_found', message: 'no such approval request' };
  }

  private announceClosed(requestId: string, outcome: ApprovalOutcome, who?: Identity): void {
    this.o.log?.({ ev: 'approval_closed', requestId, outcome, by: who?.sub });
    this.o.delivery.toSupervisors({ type: 'approval_closed', requestId, outcome, ...(who ? { by: who.name ?? who.sub } : {}) });
  }

  /** This node closed `r` as expired: the supervisors and the agent hear it from here only. */
  private expired(r: ApprovalRequest): void {
    this.announceClosed(r.requestId, 'expired');
    this.o.delivery.toAgent(r.agent.sub, { type: 'approval_decided', requestId: r.requestId, outcome: 'expired' });
  }

  /** Expire what waited too long; with several nodes each request is expired (and its agent told) by one of them. */
  async sweep(): Promise<void> {
    for (const r of await this.store.expireDue(this.o.now())) this.expired(r);
  }
}

function closedResult(outcome: ApprovalOutcome): DecideResult {
  if (outcome === 'expired') return { ok: false, code: 'expired', message: 'this request has expired' };
  return { ok: false, code: 'already_decided', message: `this request was already ${outcome}` };
}
