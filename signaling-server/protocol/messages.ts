/**
 * The signaling wire: every frame between a browser (agent workstation or
 * customer page) and the signaling server, as zod schemas. This file (with
 * the rest of protocol/) is the single contract for that boundary; server
 * and both pages import it.
 *
 * Rules: frames are JSON text, at most MAX_FRAME_BYTES; every inbound frame
 * is parsed with these schemas before use; anything else is answered with an
 * `error` frame carrying a typed `code` and dropped. The server relays
 * `signal` payloads only between members of the sender's own room.
 */
import { z } from './zod';
import { StillUploadMeta } from './still-upload';
import { DirectoryPerson, HandoffOffer, HandoffRequest, HandoffUpdate, Notice, PresenceStatus } from './handoff';

export const PROTOCOL_VERSION = 1 as const;
/** Largest frame accepted on the socket (SDP with many candidates fits well inside). */
export const MAX_FRAME_BYTES = 64 * 1024;

// ---------------------------------------------------------------- shared parts

const id = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9_\-.:]+$/));
const shortText = (max: number) => z.string().check(z.maxLength(max));

export const Role = z.enum(['agent', 'customer', 'technician']);
export type Role = z.infer<typeof Role>;

/** What the customer's browser tells the agent on join (no secrets, no PII beyond what the customer sees). */
export const ContextPacket = z.strictObject({
  browser: shortText(120),
  os: shortText(120),
  deviceClass: z.enum(['phone', 'tablet', 'desktop', 'unknown']),
  screen: z.object({ width: z.number().check(z.int(), z.gte(0), z.lte(100_000)), height: z.number().check(z.int(), z.gte(0), z.lte(100_000)), dpr: z.number().check(z.gte(0), z.lte(16)) }),
  locale: shortText(35),
  timeZone: shortText(64),
  page: z.optional(shortText(2048)),
  ref: z.optional(shortText(256)),
  /** Caller number the customer's app or page knows, if any (for screen pop). */
  ani: z.optional(shortText(32)),
  /** Free-form data from the customer's app, bounded. */
  app: z.optional(z.record(z.string().check(z.maxLength(64)), z.union([z.string().check(z.maxLength(512)), z.number(), z.boolean()]))),
});
export type ContextPacket = z.infer<typeof ContextPacket>;

/**
 * simple-peer's signal objects, bounded; the server never interprets SDP.
 * Every object strips keys it does not name (zod's default), so a relayed
 * frame carries only these fields whatever the sender added.
 */
const TransceiverInit = z.object({
  direction: z.optional(z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive'])),
  sendEncodings: z.optional(z.array(z.object({
    rid: z.optional(z.string().check(z.maxLength(16))),
    active: z.optional(z.boolean()),
    maxBitrate: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1e9))),
    maxFramerate: z.optional(z.number().check(z.gte(0), z.lte(240))),
    scaleResolutionDownBy: z.optional(z.number().check(z.gte(1), z.lte(64))),
  })).check(z.maxLength(4))),
});
export const SignalData = z.union([
  z.object({ type: z.enum(['offer', 'answer', 'pranswer', 'rollback']), sdp: z.optional(z.string().check(z.maxLength(48_000))) }),
  z.object({
    type: z.literal('candidate'),
    candidate: z.object({
      candidate: z.string().check(z.maxLength(1024)),
      sdpMid: z.optional(z.nullable(z.string().check(z.maxLength(64)))),
      sdpMLineIndex: z.optional(z.nullable(z.number().check(z.int(), z.gte(0), z.lte(64)))),
      usernameFragment: z.optional(z.nullable(z.string().check(z.maxLength(256)))),
    }),
  }),
  /** Ask the other side for a fresh offer: `no_peer` after a reload, `no_candidates` when our peer gathered no ICE candidates and is being replaced. */
  z.object({ type: z.literal('renegotiate'), renegotiate: z.literal(true), reason: z.optional(z.enum(['no_peer', 'no_candidates'])) }),
  z.object({ type: z.literal('transceiverRequest'), transceiverRequest: z.object({ kind: z.enum(['audio', 'video']), init: z.optional(TransceiverInit) }) }),
]);
export type SignalData = z.infer<typeof SignalData>;

export const IceServer = z.object({
  urls: z.union([z.string().check(z.maxLength(512)), z.array(z.string().check(z.maxLength(512))).check(z.maxLength(8))]),
  username: z.optional(z.string().check(z.maxLength(256))),
  credential: z.optional(z.string().check(z.maxLength(256))),
});
export type IceServer = z.infer<typeof IceServer>;

// ---------------------------------------------------------------- client → server

// Built inside a pure-annotated function: the pages only send these frames and never parse
// them, so their bundles leave this schema out instead of building it at every page load
// (zod v4 builds schemas eagerly, and the pages run it without its JIT).
export const ClientMessage = /* @__PURE__ */ (() => z.discriminatedUnion('type', [
  /** Agent (or technician) authentication; must be the first frame of an agent socket. */
  z.strictObject({ type: z.literal('auth'), v: z.number().check(z.int()), token: z.string().check(z.minLength(1), z.maxLength(4096)) }),
  /** Customer joins with an invite (single use) ... */
  z.strictObject({ type: z.literal('join'), v: z.number().check(z.int()), invite: z.string().check(z.minLength(16), z.maxLength(256)), context: ContextPacket }),
  /** ... or resumes its own seat after a reload or network loss. */
  z.strictObject({ type: z.literal('resume'), v: z.number().check(z.int()), resumeToken: z.string().check(z.minLength(16), z.maxLength(256)), context: z.optional(ContextPacket) }),
  /** Agent asks for a new room + invite. */
  z.strictObject({
    type: z.literal('create_invite'),
    reqId: z.optional(id),
    ttlSec: z.optional(z.number().check(z.int(), z.gte(30), z.lte(24 * 3600))),
    page: z.optional(shortText(2048)),
    ref: z.optional(shortText(256)),
    role: z.optional(z.enum(['customer', 'technician'])),
    /** technician invites: the guest's name as the agent gives it (the customer is told who joined; never taken from the guest) */
    name: z.optional(shortText(120)),
    /** Also mint a short numeric code the caller can type (the server may do so for every invite by config). */
    code: z.optional(z.boolean()),
  }),
  /** SDP/ICE to another member of the sender's room. */
  z.strictObject({ type: z.literal('signal'), to: id, data: SignalData }),
  /** Leave the room; an agent's hang-up ends it for everyone. */
  z.strictObject({ type: z.literal('hangup'), reqId: z.optional(id) }),
  z.strictObject({ type: z.literal('ping'), reqId: z.optional(id) }),
  // ---- hand-offs (handoff.ts): presence, transfer, consult, the guest's revocation
  /** Set my status in the directory (on a call is also set by the server when I hold a customer). */
  z.strictObject({ type: z.literal('presence'), status: PresenceStatus }),
  /** Who is signed in, their status, skills and queues. */
  z.strictObject({ type: z.literal('directory'), reqId: z.optional(id) }),
  HandoffRequest,
  z.strictObject({ type: z.literal('handoff_answer'), handoffId: id, accept: z.boolean() }),
  z.strictObject({ type: z.literal('handoff_cancel'), handoffId: id }),
  /** Warm transfer: I (agent 1) leave now that agent 2 is with the customer. Consult: the consult is over, the colleague leaves. */
  z.strictObject({ type: z.literal('handoff_complete'), handoffId: id }),
  /** Tell the room's guests something about the call (hold for a consult, back again). */
  z.strictObject({ type: z.literal('notify'), notice: z.enum(['hold', 'resumed']), video: z.optional(z.enum(['paused', 'kept'])) }),
  /** Cut a technician (guest) off the session; their seat and resume token go. */
  z.strictObject({ type: z.literal('guest_revoke'), memberId: id }),
]))();
export type ClientMessage = z.infer<typeof ClientMessage>;

// ---------------------------------------------------------------- server → client

export const ErrorCode = z.enum([
  'bad_frame', // not JSON text
  'invalid_message', // JSON that matches no schema
  'too_large',
  'unsupported_version',
  'unauthorized',
  'invite_unknown',
  'invite_expired',
  'invite_used',
  'resume_invalid',
  'room_full',
  'not_in_room',
  'unknown_peer',
  'rate_limited',
  /** not allowed for this identity's roles (hand-offs, revoking a guest) */
  'forbidden',
  'handoff_unknown',
  /** the hand-off is no longer in a state where that can happen (taken, cancelled, timed out) */
  'handoff_conflict',
  'agent_unavailable',
  /** idle or heartbeat time-out: the socket is closed after this frame */
  'timeout',
  /** the node is draining or overloaded: connect again (elsewhere) */
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** `name`: an agent's or technician's display name (the customer sees who joined); `agentId` on agent seats. */
export const Member = z.object({ memberId: id, role: Role, context: z.optional(ContextPacket), name: z.optional(shortText(120)), agentId: z.optional(id) });
// ---------------------------------------------------------------- approvals (issue 12)

/** ISO 4217 code, as in the workstation's contract (money.ts). */
const currencyCode = z.string().check(z.regex(/^[A-Z]{3}$/));

/**
 * A credit above an agent's limit, waiting for a supervisor. Created over
 * HTTP by the agent's workstation (POST /approvals, the agent's bearer token);
 * shown live to every signed-in supervisor.
 */
export const ApprovalRequest = z.object({
  requestId: id,
  /** The case id in the agent's own case cache (with `installId`, names the case). */
  caseId: z.number().check(z.int(), z.positive()),
  installId: z.optional(z.string().check(z.maxLength(128))),
  customerName: z.string().check(z.maxLength(200)),
  amountMinor: z.number().check(z.int(), z.positive(), z.lte(Number.MAX_SAFE_INTEGER)),
  currency: currencyCode,
  reason: z.string().check(z.maxLength(500)),
  agent: z.object({ sub: id, name: z.optional(z.string().check(z.maxLength(128))) }),
  requestedAt: z.number(),
  expiresAt: z.number(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;

export const ApprovalOutcome = z.enum(['approved', 'declined', 'expired']);
export type ApprovalOutcome = z.infer<typeof ApprovalOutcome>;

export type Member = z.infer<typeof Member>;

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    v: z.literal(PROTOCOL_VERSION),
    memberId: id,
    role: Role,
    roomId: z.optional(id),
    /** Given to customers: rejoin the same seat after a reload without a new invite. */
    resumeToken: z.optional(z.string()),
    iceServers: z.array(IceServer),
    /** Members already in the room. */
    members: z.array(Member),
  }),
  z.object({
    type: z.literal('invite_created'),
    reqId: z.optional(id),
    roomId: id,
    url: z.string(),
    expiresAt: z.number(),
    code: z.optional(z.string()),
  }),
  z.object({ type: z.literal('peer_joined'), member: Member }),
  z.object({ type: z.literal('peer_left'), memberId: id, role: Role, reason: z.enum(['hangup', 'disconnect', 'timeout']) }),
  z.object({ type: z.literal('signal'), from: id, data: SignalData }),
  z.object({ type: z.literal('ended'), reason: z.enum(['agent_hangup', 'room_closed', 'expired']) }),
  z.object({ type: z.literal('pong'), reqId: z.optional(id), t: z.number() }),
  /** A telephony contact for this agent (ANI screen pop). */
  z.object({ type: z.literal('screen_pop'), ani: z.string(), source: z.enum(['telephony', 'context']), callId: z.optional(z.string()), receivedAt: z.number() }),
  /** To signed-in supervisors: a credit waits for approval. */
  z.object({ type: z.literal('approval_requested'), request: ApprovalRequest }),
  /** To signed-in supervisors: a request is no longer open (decided by someone, or expired). */
  z.object({ type: z.literal('approval_closed'), requestId: id, outcome: ApprovalOutcome, by: z.optional(z.string().check(z.maxLength(128))) }),
  /**
   * To the requesting agent: the decision. `grant` (approved only) is the
   * server-signed approval (compact JWS, EdDSA) the workstation's main
   * process verifies before writing the credit.
   */
  z.object({
    type: z.literal('approval_decided'), requestId: id, outcome: ApprovalOutcome,
    grant: z.optional(z.string().check(z.maxLength(4096))),
    approver: z.optional(z.object({ sub: id, name: z.optional(z.string().check(z.maxLength(128))) })),
  }),
  z.object({ type: z.literal('error'), code: ErrorCode, message: z.string(), reqId: z.optional(id), retryAfterMs: z.optional(z.number()) }),
  /**
   * The node is shutting down (drain): connect again — through the same URL,
   * a load balancer sends you to another node — and rejoin with `resume`
   * (customers) or `auth` (agents). The node closes the socket (1012) after
   * `graceMs` at the latest.
   */
  z.object({ type: z.literal('reconnect'), reason: z.literal('draining'), graceMs: z.number() }),
  z.object({ type: z.literal('directory'), reqId: z.optional(id), people: z.array(DirectoryPerson), queues: z.array(z.string()) }),
  /** To the room's agents: the customer's photo came over HTTP (no data channel) and is whole; GET /stills/<uploadId> with the agent's bearer. */
  z.extend(StillUploadMeta, { type: z.literal('still_uploaded'), uploadId: z.string().check(z.maxLength(64)), memberId: id }),
  HandoffOffer,
  HandoffUpdate,
  Notice,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

export type ParseResult<T> = { ok: true, value: T } | { ok: false, code: ErrorCode, message: string };

/**
 * Parse one inbound text frame. Never throws. `fast` may vouch for a frame
 * before the schema runs (the server passes fastSignal, the pages
 * fastServerSignal; fast-signal.ts); it must only return values the schema
 * would return, and undefined otherwise.
 */
export function parseClientFrame(raw: string | ArrayBuffer | Uint8Array | Uint8Array[], fast?: (json: unknown) => ClientMessage | undefined): ParseResult<ClientMessage> {
  return parseFrame(raw, ClientMessage, fast);
}

/** Parse one frame from the server (the pages validate what they receive too); `fast` as for parseClientFrame (fastServerSignal). */
export function parseServerFrame(raw: string, fast?: (json: unknown) => ServerMessage | undefined): ParseResult<ServerMessage> {
  return parseFrame(raw, ServerMessage, fast);
}

function parseFrame<T>(raw: unknown, schema: z.ZodMiniType<T>, fast?: (json: unknown) => T | undefined): ParseResult<T> {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (raw instanceof ArrayBuffer) text = new TextDecoder().decode(raw);
  else if (Array.isArray(raw)) text = raw.map((b) => new TextDecoder().decode(b as Uint8Array)).join('');
  else if (raw instanceof Uint8Array) text = new TextDecoder().decode(raw);
  else return { ok: false, code: 'bad_frame', message: 'frame is not text' };
  if (text.length > MAX_FRAME_BYTES) return { ok: false, code: 'too_large', message: `frame exceeds ${MAX_FRAME_BYTES} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: 'bad_frame', message: 'frame is not valid JSON' };
  }
  if (json && typeof json === 'object' && 'v' in json && typeof (json as { v: unknown }).v === 'number' && (json as { v: number }).v !== PROTOCOL_VERSION) {
    return { ok: false, code: 'unsupported_version', message: `protocol version ${(json as { v: number }).v} is not supported (server speaks ${PROTOCOL_VERSION})` };
  }
  const vouched = fast?.(json);
  if (vouched !== undefined) return { ok: true, value: vouched };
  const r = schema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    return { ok: false, code: 'invalid_message', message: first ? `${first.path.join('.') || 'frame'}: ${first.message}` : 'invalid message' };
  }
  return { ok: true, value: r.data };
}
