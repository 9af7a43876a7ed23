/**
 * Approval requests in this node's memory: the store of a single node (the
 * embedded default). Every method's work happens before its first await, so
 * each is one step, as approval-store.ts requires.
 */
import type { ApprovalRequest } from '../protocol/index';
import { DEFAULT_CLOSED_RETENTION_MS, type ApprovalLimits, type ApprovalStore, type ClosedApproval, type OpenResult, type TakeExtra, type TakeResult } from './approval-store';

const copy = (r: ApprovalRequest): ApprovalRequest => structuredClone(r);

export class MemoryApprovalStore implements ApprovalStore {
  private readonly openReqs = new Map<string, ApprovalRequest>();
  private readonly done = new Map<string, ClosedApproval>();
  private readonly retentionMs: number;

  constructor(opts: { closedRetentionMs?: number } = {}) {
    this.retentionMs = opts.closedRetentionMs ?? DEFAULT_CLOSED_RETENTION_MS;
  }

  async open(request: ApprovalRequest, limits: ApprovalLimits, now: number): Promise<OpenResult> {
    let total = 0;
    let mine = 0;
    for (const r of this.openReqs.values()) {
      if (r.expiresAt <= now) continue;
      total++;
      if (r.agent.sub === request.agent.sub) mine++;
    }
    if (mine >= limits.maxOpenPerAgent) return { ok: false, over: 'agent' };
    if (total >= limits.maxOpen) return { ok: false, over: 'total' };
    this.openReqs.set(request.requestId, copy(request));
    return { ok: true };
  }

  async get(requestId: string): Promise<ApprovalRequest | undefined> {
    const r = this.openReqs.get(requestId);
    return r ? copy(r) : undefined;
  }

  async list(now: number): Promise<ApprovalRequest[]> {
    return [...this.openReqs.values()].filter((r) => r.expiresAt > now).sort((a, b) => a.requestedAt - b.requestedAt).map(copy);
  }

  async closed(requestId: string, now: number): Promise<ClosedApproval | undefined> {
    this.forget(now);
    const c = this.done.get(requestId);
    return c ? { ...c, ...(c.grant ? { grant: { ...c.grant } } : {}) } : undefined;
  }

  async take(requestId: string, outcome: 'approved' | 'declined', by: string, now: number, extra: TakeExtra = {}): Promise<TakeResult> {
    this.forget(now);
    const r = this.openReqs.get(requestId);
    if (!r) {
      const c = this.done.get(requestId);
      return c ? { ok: false, reason: 'closed', closed: withoutGrant(c) } : { ok: false, reason: 'not_found' };
    }
    this.openReqs.delete(requestId);
    if (r.expiresAt <= now) {
      this.done.set(requestId, { outcome: 'expired', at: now, agentSub: r.agent.sub });
      return { ok: false, reason: 'expired_now', request: r };
    }
    this.done.set(requestId, {
      outcome, at: now, agentSub: r.agent.sub, by,
      ...(extra.byName !== undefined ? { byName: extra.byName } : {}),
      ...(extra.grant && extra.grant.expiresAt > now ? { grant: { ...extra.grant } } : {}),
    });
    return { ok: true, request: r };
  }

  async expireDue(now: number): Promise<ApprovalRequest[]> {
    this.forget(now);
    const out: ApprovalRequest[] = [];
    for (const r of [...this.openReqs.values()]) {
      if (r.expiresAt > now) continue;
      this.openReqs.delete(r.requestId);
      this.done.set(r.requestId, { outcome: 'expired', at: now, agentSub: r.agent.sub });
      out.push(r);
    }
    return out;
  }

  /** Outcomes older than the retention, and grants past their lifetime, are forgotten (Redis lets them expire by themselves). */
  private forget(now: number): void {
    for (const [id, c] of this.done) {
      if (now - c.at > this.retentionMs) this.done.delete(id);
      else if (c.grant && c.grant.expiresAt <= now) delete c.grant;
    }
  }

  async close(): Promise<void> {
    this.openReqs.clear();
    this.done.clear();
  }
}

function withoutGrant(c: ClosedApproval): ClosedApproval {
  const { grant: _grant, ...rest } = c;
  return rest;
}
