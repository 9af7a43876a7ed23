/**
 * Hand-off frames on the signaling wire (issue 13): the directory with
 * presence, transfer (warm, cold; to an agent or a queue) and consult
 * requests, offers to the receiving agent, updates to the requester, and
 * notices to the customer. The server keeps the hand-off's record (store);
 * each workstation keeps its own state machine (src-renderer/handoff/model).
 */
import { z } from './zod';

const id = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9_\-.:]+$/));

export const PresenceStatus = z.enum(['available', 'on_call', 'wrap_up', 'away']);
export type PresenceStatus = z.infer<typeof PresenceStatus>;

export const PersonRole = z.enum(['agent', 'supervisor', 'technician']);

/** One signed-in person as the directory shows them. */
export const DirectoryPerson = z.object({
  id,
  name: z.optional(z.string().check(z.maxLength(120))),
  roles: z.array(PersonRole).check(z.maxLength(3)),
  status: PresenceStatus,
  skills: z.array(z.string().check(z.maxLength(64))).check(z.maxLength(32)),
  queues: z.array(z.string().check(z.maxLength(64))).check(z.maxLength(32)),
});
export type DirectoryPerson = z.infer<typeof DirectoryPerson>;

export const HandoffKind = z.enum(['warm', 'cold', 'consult']);
export type HandoffKind = z.infer<typeof HandoffKind>;

export const HandoffTarget = z.union([z.strictObject({ agentId: id }), z.strictObject({ queue: z.string().check(z.minLength(1), z.maxLength(64)) })]);
export type HandoffTarget = z.infer<typeof HandoffTarget>;

/** Longest a hand-off may ring before it times out. */
export const MAX_HANDOFF_TIMEOUT_SEC = 600;

/**
 * Start a hand-off of my room's customer. `handoffId` is the client's:
 * sending the same request again (a retry after a socket drop) is answered
 * with the hand-off's current state instead of a second offer.
 */
export const HandoffRequest = z.strictObject({
  type: z.literal('handoff_request'),
  reqId: z.optional(id),
  handoffId: id,
  kind: HandoffKind,
  to: HandoffTarget,
  /** agent 1's hand-off note: what the receiver needs to know first */
  note: z.optional(z.string().check(z.maxLength(2000))),
  /** the case on agent 1's workstation (its id there) and the customer's name, for the offer card */
  caseRef: z.optional(z.string().check(z.maxLength(64))),
  customerName: z.optional(z.string().check(z.maxLength(200))),
  timeoutSec: z.optional(z.number().check(z.int(), z.gte(5), z.lte(MAX_HANDOFF_TIMEOUT_SEC))),
  /** consult: what the customer's video does while they wait */
  video: z.optional(z.enum(['paused', 'kept'])),
});
export type HandoffRequest = z.infer<typeof HandoffRequest>;

/** To the receiving agent (or every agent of the queue): take it or not. */
export const HandoffOffer = z.object({
  type: z.literal('handoff_offer'),
  handoffId: id,
  kind: HandoffKind,
  from: z.object({ agentId: id, name: z.optional(z.string()) }),
  queue: z.optional(z.string()),
  note: z.string(),
  caseRef: z.optional(z.string()),
  customerName: z.optional(z.string()),
  expiresAt: z.number(),
});
export type HandoffOffer = z.infer<typeof HandoffOffer>;

export const HandoffPhase = z.enum(['offered', 'accepted', 'declined', 'cancelled', 'timeout', 'completed', 'target_gone', 'failed', 'taken']);
export type HandoffPhase = z.infer<typeof HandoffPhase>;

/** How a hand-off stands, to both sides (`taken`: another agent of the queue took it first). */
export const HandoffUpdate = z.object({
  type: z.literal('handoff_update'),
  handoffId: id,
  kind: HandoffKind,
  phase: HandoffPhase,
  /** who accepted (agentId) and their seat in the room */
  by: z.optional(z.string()),
  memberId: z.optional(z.string()),
  message: z.optional(z.string()),
  reqId: z.optional(id),
});
export type HandoffUpdate = z.infer<typeof HandoffUpdate>;

/** To the customer's page: what is happening to their call, shown in their language. */
export const Notice = z.object({
  type: z.literal('notice'),
  notice: z.enum(['hold', 'resumed', 'transfer_waiting', 'transferred', 'guest_revoked']),
  video: z.optional(z.enum(['paused', 'kept'])),
  name: z.optional(z.string()),
});
export type Notice = z.infer<typeof Notice>;
