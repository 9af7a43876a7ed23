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
 * - An approval's grant (and the approver's name) is kept with its outcome,
 *   written by the same step as the take that wins (never by a losing or an
 *   `expired_now` take), so an agent whose socket was down when the
 *   supervisor decided can fetch it. The grant is kept only for its own
 *   lifetime: `closed(id, now)` returns it while `expiresAt > now`, never
 *   after, and an implementation drops it then (Redis lets its key expire).
 *   Fetching it twice is harmless: the workstation records its nonce once.
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
  /** the deciding supervisor's display name, when known */
  byName?: string;
  /** an approval's signed grant, while it is still valid */
  grant?: StoredGrant;
}

/** A grant as signed for the winning approval, kept until it expires. */
export interface StoredGrant {
  token: string;
  /** the grant's `exp`, in ms */
  expiresAt: number;
}

/** What the winning take keeps besides the outcome. */
export interface TakeExtra { byName?: string, grant?: StoredGrant }

export interface ApprovalLimits { maxOpenPerAgent: number, maxOpen: number }

export type OpenResult = { ok: true } | { ok: false, over: 'agent' | 'total' };

export type TakeResult =
  | { ok: true, request: ApprovalRequest }
  /** it was due: this call closed it as expired (tell the agent) */
  | { ok: false, reason: 'expired_now', request: ApprovalRequest }
  /** how it was closed (never with the grant: that is for the asking agent only) */
  | { ok: false, reason: 'closed', closed: ClosedApproval }
  | { ok: false, reason: 'not_found' };

export interface ApprovalStore {
  open(request: ApprovalRequest, limits: ApprovalLimits, now: number): Promise<OpenResult>;
  /** An open request (due or not), or undefined. */
  get(requestId: string): Promise<ApprovalRequest | undefined>;
  /** Open requests not yet due, oldest first. */
  list(now: number): Promise<ApprovalRequest[]>;
  /** The outcome of a closed request still remembered; its grant only while `expiresAt > now`. */
  closed(requestId: string, now: number): Promise<ClosedApproval | undefined>;
  /** `extra` is kept with the outcome only if this take wins. */
  take(requestId: string, outcome: 'approved' | 'declined', by: string, now: number, extra?: TakeExtra): Promise<TakeResult>;
  /** Close what is due as expired; each request is returned to one caller only. */
  expireDue(now: number): Promise<ApprovalRequest[]>;
  close(): Promise<void>;
}

export const DEFAULT_CLOSED_RETENTION_MS = 3600_000;
