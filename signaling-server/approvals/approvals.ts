/**
 * Credit approvals between an agent's workstation and signed-in supervisors.
 * The agent asks (POST /approvals, as itself); every supervisor socket on
 * this node sees the request live; the first supervisor to decide closes it
 * for the others; an approval becomes a grant signed by this server, bound
 * to the case, amount, currency, agent and a one-time nonce, sent to the
 * agent's sockets. A request nobody answers expires and the agent is told.
 *
 * Only the supervisor role may decide, and nobody may decide their own
 * request: both enforced here, not in any client.
 *
 * Requests live in this node's memory (like the embedded IdP's sessions):
 * with several nodes, supervisors see the requests of agents on their node.
 */
import { z } from 'zod';
import type { ApprovalOutcome, ApprovalRequest, ServerMessage } from '../protocol/index';
import type { Identity } from '../identity/identity';
import { randomBase64url, newId } from '../tokens';
import type { GrantSigner } from './grant-signer';

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
  toSupervisors(msg: ServerMessage): void;
  toAgent(sub: string, msg: ServerMessage): void;
}

export interface ApprovalBookOptions {
  signer: GrantSigner;
  delivery: ApprovalDelivery;
  now: () => number;
  /** How long a request waits for a supervisor (default 5 min). */
  requestTtlSec?: number;
  /** How long a grant stays usable once given (default 5 min). */
  grantTtlSec?: number;
  /** Open requests per agent (default 5) and in total (default 1000). */
  maxOpenPerAgent?: number;
  maxOpen?: number;
  log?: (rec: Record<string, unknown>) => void;
}

export type DecideResult =
  | { ok: true, outcome: 'approved' | 'declined', grantId?: string }
  | { ok: false, code: 'forbidden' | 'not_found' | 'already_decided' | 'expired', message: string };

export type CreateResult = { ok: true, request: ApprovalRequest } | { ok: false, code: 'forbidden' | 'too_many', message: string };

export class ApprovalBook {
  private readonly open = new Map<string, ApprovalRequest>();
  /** Recently closed ids and how, so a late second decision gets `already_decided`, not `not_found`. */
  private readonly closed = new Map<string, { outcome: ApprovalOutcome, at: number }>();
  private readonly requestTtlMs: number;
  private readonly grantTtlSec: number;

  constructor(private readonly o: ApprovalBookOptions) {
    this.requestTtlMs = (o.requestTtlSec ?? 300) * 1000;
    this.grantTtlSec = o.grantTtlSec ?? 300;
  }

  create(who: Identity, input: NewApprovalRequest): CreateResult {
    if (!who.roles.includes('agent')) return { ok: false, code: 'forbidden', message: 'only an agent can ask for a credit approval' };
    this.sweep();
    const mine = [...this.open.values()].filter((r) => r.agent.sub === who.sub).length;
    if (mine >= (this.o.maxOpenPerAgent ?? 5)) return { ok: false, code: 'too_many', message: 'too many open approval requests; wait for an answer' };
    if (this.open.size >= (this.o.maxOpen ?? 1000)) return { ok: false, code: 'too_many', message: 'too many open approval requests on this server' };
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
    this.open.set(request.requestId, request);
    this.o.log?.({ ev: 'approval_requested', requestId: request.requestId, agent: who.sub, amountMinor: request.amountMinor, currency: request.currency });
    this.o.delivery.toSupervisors({ type: 'approval_requested', request });
    return { ok: true, request };
  }

  /** Open requests a supervisor may decide (not their own). */
  pending(who: Identity): ApprovalRequest[] | undefined {
    if (!who.roles.includes('supervisor')) return undefined;
    this.sweep();
    return [...this.open.values()].filter((r) => r.agent.sub !== who.sub).sort((a, b) => a.requestedAt - b.requestedAt);
  }

  /** The agent's own view of one of its requests (after a reconnect). */
  status(who: Identity, requestId: string): { state: 'open' | ApprovalOutcome } | undefined {
    this.sweep();
    const r = this.open.get(requestId);
    if (r) return r.agent.sub === who.sub ? { state: 'open' } : undefined;
    const c = this.closed.get(requestId);
    return c ? { state: c.outcome } : undefined;
  }

  async decide(who: Identity, requestId: string, decision: 'approve' | 'decline'): Promise<DecideResult> {
    if (!who.roles.includes('supervisor')) return { ok: false, code: 'forbidden', message: 'only a supervisor can decide a credit approval' };
    this.sweep();
    const r = this.open.get(requestId);
    if (!r) {
      const c = this.closed.get(requestId);
      if (c?.outcome === 'expired') return { ok: false, code: 'expired', message: 'this request has expired' };
      if (c) return { ok: false, code: 'already_decided', message: `this request was already ${c.outcome}` };
      return { ok: false, code: 'not_found', message: 'no such approval request' };
    }
    if (r.agent.sub === who.sub) return { ok: false, code: 'forbidden', message: 'nobody can approve their own credit' };
    // taken out before the (async) signing, so two supervisors cannot both decide it
    this.open.delete(requestId);
    const approver = { sub: who.sub, ...(who.name ? { name: who.name } : {}) };
    if (decision === 'decline') {
      this.close(r, 'declined', who);
      this.o.delivery.toAgent(r.agent.sub, { type: 'approval_decided', requestId, outcome: 'declined', approver });
      return { ok: true, outcome: 'declined' };
    }
    const grantId = newId('g');
    const grant = await this.o.signer.sign({
      sub: r.agent.sub, jti: grantId, nonce: randomBase64url(16), rid: requestId,
      case: r.caseId, ...(r.installId !== undefined ? { ins: r.installId } : {}),
      amt: r.amountMinor, cur: r.currency, approver,
    }, { nowMs: this.o.now(), ttlSec: this.grantTtlSec });
    this.close(r, 'approved', who);
    this.o.delivery.toAgent(r.agent.sub, { type: 'approval_decided', requestId, outcome: 'approved', grant, approver });
    return { ok: true, outcome: 'approved', grantId };
  }

  private close(r: ApprovalRequest, outcome: ApprovalOutcome, who?: Identity): void {
    this.closed.set(r.requestId, { outcome, at: this.o.now() });
    this.o.log?.({ ev: 'approval_closed', requestId: r.requestId, outcome, by: who?.sub });
    this.o.delivery.toSupervisors({ type: 'approval_closed', requestId: r.requestId, outcome, ...(who ? { by: who.name ?? who.sub } : {}) });
  }

  /** Expire what waited too long (the agent is told), forget closed ids after an hour. */
  sweep(): void {
    const now = this.o.now();
    for (const r of [...this.open.values()]) {
      if (r.expiresAt > now) continue;
      this.open.delete(r.requestId);
      this.close(r, 'expired');
      this.o.delivery.toAgent(r.agent.sub, { type: 'approval_decided', requestId: r.requestId, outcome: 'expired' });
    }
    for (const [id, c] of this.closed) if (now - c.at > 3600_000) this.closed.delete(id);
  }
}
