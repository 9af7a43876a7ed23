/**
 * Where open credit-approval requests and their outcomes are kept: in the
 * node's memory (memory-approvals.ts, one node) or in Redis
 * (redis-approvals.ts), shared by every node of a deployment, so a supervisor
 * on any node sees and decides the request of an agent on any other, and a
 * node restart loses nothing.
 *
 * Rules for implementations (the memory one keeps them by being synchronous,
 * the Redis one by doing each step in one Lua script):
 * - `open` checks the per-agent and total limits and adds the request as one
 *   step: two requests racing on two nodes cannot both take the last place.
 *   Only requests not yet due (expiresAt > now) count.
 * - `take` closes an open request with an outcome as one step: of any number
 *   of deciders on any nodes, exactly one gets `ok`; the others hear how it
 *   was closed. A request already due is closed as `expired` by that very call
 *   (the caller tells the agent), never decided.
 * - `expireDue` closes every due request as `expired` and returns each one to
 *   exactly one caller, whichever node's sweep runs first; that caller, and
 *   only it, tells the agent.
 * - Outcomes are remembered for `closedRetentionMs` (default 1 h) after
 *   closing, so a late decision hears `already_decided` and a reconnecting
 *   agent can ask; after that the id is unknown.
 * - Requests are stored and returned whole and as copies; they never change
 *   once opened (so reading one, then taking it, is safe).
 */
import type { ApprovalOutcome, ApprovalRequest } from '../protocol/index';

export interface ClosedApproval {
  outcome: ApprovalOutcome;
  /** when it closed (ms) */
  at: number;
  /** the asking agent (only it may ask for the outcome) */
  agentSub: string;
  /** the deciding supervisor's sub (not for expiries) */
  by?: string;
}

export interface ApprovalLimits { maxOpenPerAgent: number, maxOpen: number }

export type OpenResult = { ok: true } | { ok: false, over: 'agent' | 'total' };

export type TakeResult =
  | { ok: true, request: ApprovalRequest }
  /** it was due: this call closed it as expired (tell the agent) */
  | { ok: false, reason: 'expired_now', request: ApprovalRequest }
  | { ok: false, reason: 'closed', closed: ClosedApproval }
  | { ok: false, reason: 'not_found' };

export interface ApprovalStore {
  open(request: ApprovalRequest, limits: ApprovalLimits, now: number): Promise<OpenResult>;
  /** An open request (due or not), or undefined. */
  get(requestId: string): Promise<ApprovalRequest | undefined>;
  /** Open requests not yet due, oldest first. */
  list(now: number): Promise<ApprovalRequest[]>;
  /** The outcome of a closed request still remembered. */
  closed(requestId: string): Promise<ClosedApproval | undefined>;
  take(requestId: string, outcome: 'approved' | 'declined', by: string, now: number): Promise<TakeResult>;
  /** Close what is due as expired; each request is returned to one caller only. */
  expireDue(now: number): Promise<ApprovalRequest[]>;
  close(): Promise<void>;
}

export const DEFAULT_CLOSED_RETENTION_MS = 3600_000;
