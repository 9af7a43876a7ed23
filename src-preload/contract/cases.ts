/**
 * Case cache contract: customers found by ANI, cases with an append-only
 * event log, content-addressed evidence, search, credits under policy,
 * evidence bundles. Other capabilities (annotation, OCR, session) append
 * their events through `cases:appendEvent` and store binaries through
 * `cases:putEvidence`; every size below is a hard bound checked before use.
 */
import { z } from 'zod';
import { CurrencyCode } from './money';
import { defineChannels } from './types';
import { ContextPacket } from '../../signaling-server/protocol';

// ---------------------------------------------------------------- shared parts

export const RowId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 as 64 lowercase hex digits');
/** ISO 4217 code; the amount fields next to it are integers in the currency's minor unit (cents, yen). */
export const Currency = CurrencyCode;
export const MinorAmount = z.number().int().min(0).max(1_000_000_000);
const AgentId = z.string().min(1).max(128);
const line = (max: number) => z.string().trim().min(1).max(max);

/** Largest binary a single evidence item may be (a full-resolution still fits well inside). */
export const MAX_EVIDENCE_BYTES = 16 * 1024 * 1024;
/** Largest serialized event body; larger ones are refused, not truncated. */
export const MAX_EVENT_JSON = 256 * 1024;
export const EvidenceMime = z.enum(['image/png', 'image/jpeg', 'image/webp', 'application/json', 'text/plain', 'application/pdf']);

export const Outcome = z.enum(['resolved_remote', 'technician_dispatch', 'escalated_fraud']);
export type Outcome = z.infer<typeof Outcome>;

/** The issue category of a case (billing, internet...): a slug, never free text, so reports group by it and carry no customer data. */
export const IssueCategory = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'a category: lowercase letters, digits, . _ -');

export const PartOrTool = z.object({ item: line(200), qty: z.number().int().min(1).max(999) }).strict();

export const Disposition = z.object({
  outcome: Outcome,
  summary: z.string().trim().max(2000),
  /** Required (non-empty) for a technician dispatch: what the technician must bring. */
  partsAndTools: z.array(PartOrTool).max(100).optional(),
  /** Without the visual session this would have been a technician's visit (docs/KPIS.md: dispatches avoided). */
  dispatchCandidate: z.boolean().optional(),
}).strict().superRefine((d, ctx) => {
  if (d.outcome === 'technician_dispatch' && !(d.partsAndTools && d.partsAndTools.length > 0)) {
    ctx.addIssue({ code: 'custom', path: ['partsAndTools'], message: 'a technician dispatch needs a parts-and-tools list' });
  }
});
export type Disposition = z.infer<typeof Disposition>;

// ---------------------------------------------------------------- events

const shape = z.object({ kind: z.string().min(1).max(32) }).passthrough();

export const SegmentId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'segment id: 8-64 letters, digits, _ or -');
export const SegmentVia = z.enum(['new', 'warm_transfer', 'cold_transfer', 'consult']);
export type SegmentVia = z.infer<typeof SegmentVia>;
const Seconds = z.number().int().min(0).max(86_400 * 7);

/**
 * Every kind of event a case can hold. Append-only: never updated in place.
 * `credit`, `disposition`, `transfer` and `case_opened` are written only by
 * their own channels (policy and case state go with them).
 */
export const CaseEventBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('case_opened'), subject: z.string().max(300), category: IssueCategory.optional() }).strict(),
  z.object({
    type: z.literal('session_started'), sessionId: z.string().min(1).max(128), roomId: z.string().max(128).optional(), media: z.enum(['camera', 'screen', 'audio']).optional(),
    /** When the invite link went out (ms since the epoch); the session's link-to-first-frame time starts here. */
    linkSentAt: z.number().int().min(0).optional(),
  }).strict(),
  z.object({
    type: z.literal('session_ended'), sessionId: z.string().min(1).max(128), reason: z.string().max(200), durationSec: z.number().min(0).max(86_400 * 7),
    /** ms from the link going out to the first video frame; absent when none came */
    firstFrameMs: z.number().int().min(0).max(86_400_000).optional(),
    /** why no frame came (consent_declined, link_not_opened, media_error, network...) */
    noFrameCause: z.string().max(40).optional(),
  }).strict(),
  z.object({ type: z.literal('context_packet'), context: ContextPacket }).strict(),
  z.object({
    type: z.literal('snapshot'),
    sha256: Sha256,
    mime: EvidenceMime,
    width: z.number().int().min(1).max(20_000),
    height: z.number().int().min(1).max(20_000),
    /** A small rendition for timelines; the full still stays under sha256. */
    thumbSha256: Sha256.optional(),
    caption: z.string().max(500).optional(),
    /** Card numbers painted over in this still before it was stored, and whether policy kept the sealed original. */
    cardsCovered: z.number().int().min(0).max(1000).optional(),
    originalKept: z.boolean().optional(),
  }).strict(),
  /** A supervisor opened the sealed original of a redacted still: who, and why. Written only by ocr:showOriginal, before the original is shown. */
  z.object({
    type: z.literal('original_viewed'),
    snapshotSha256: Sha256,
    viewerName: z.string().max(128),
    reason: line(500),
  }).strict(),
  z.object({
    type: z.literal('ocr_result'),
    snapshotSha256: Sha256.optional(),
    lang: z.string().min(2).max(32),
    text: z.string().max(50_000),
    confidence: z.number().min(0).max(100),
    amounts: z.array(z.object({ label: z.string().max(200), amountMinor: z.number().int().min(-1_000_000_000).max(1_000_000_000), currency: Currency }).strict()).max(200).optional(),
  }).strict(),
  /** The agent confirmed or corrected one field OCR read from a still (the data to learn from). */
  z.object({
    type: z.literal('ocr_field_review'),
    snapshotSha256: Sha256,
    field: z.enum(['vendor', 'accountNumber', 'invoiceNumber', 'date', 'dueDate', 'subtotal', 'tax', 'total', 'currency']),
    verdict: z.enum(['confirmed', 'corrected']),
    /** What OCR read, and the value the agent confirmed or typed. */
    read: z.string().max(500),
    value: z.string().min(1).max(500),
    confidence: z.number().min(0).max(1),
  }).strict(),
  z.object({
    type: z.literal('annotation_set'),
    setId: z.string().min(1).max(128),
    /** The still the marks were drawn on, and the flattened picture (frame + marks), both evidence. */
    frameSha256: Sha256.optional(),
    compositeSha256: Sha256.optional(),
    shapes: z.array(shape).max(2000),
  }).strict(),
  z.object({ type: z.literal('note'), text: line(10_000) }).strict(),
  z.object({ type: z.literal('disposition'), disposition: Disposition }).strict(),
  z.object({
    type: z.literal('credit'),
    amountMinor: MinorAmount,
    currency: Currency,
    reason: line(500),
    /** granted = within the agent's limit; approved = above it, with a supervisor's approval. */
    state: z.enum(['granted', 'approved']),
    approvedBy: z.string().max(128).optional(),
    /** The approving supervisor's name and the grant's id, for an approved credit. */
    approverName: z.string().max(128).optional(),
    grantId: z.string().max(128).optional(),
    audited: z.boolean(),
  }).strict(),
  z.object({ type: z.literal('transfer'), fromAgentId: AgentId, toAgentId: AgentId, reason: z.string().max(500) }).strict(),
  /**
   * One agent's stretch of the case (issue 13): a new call, or taken over by a
   * warm or cold transfer, or joined as a consulted colleague. Handle time and
   * outcome are counted per segment; the agent is the event's writer.
   */
  z.object({
    type: z.literal('segment_started'),
    segmentId: SegmentId,
    previousSegmentId: SegmentId.optional(),
    via: SegmentVia,
    queue: z.string().min(1).max(64).optional(),
  }).strict(),
  /** Written when the segment's after-contact work ends (at once for the agent who transferred the customer away). */
  z.object({
    type: z.literal('segment_ended'),
    segmentId: SegmentId,
    talkSec: Seconds,
    holdSec: Seconds,
    acwSec: Seconds,
    outcome: Outcome.optional(),
  }).strict(),
  /**
   * A technician guest in the case's live session (issue 13, three-way): the
   * agent invited one, it joined, the agent removed it, or it left. The name
   * is the one the agent gave it (the customer saw it too).
   */
  z.object({ type: z.literal('guest'), action: z.enum(['invited', 'joined', 'removed', 'left']), role: z.literal('technician'), name: z.string().max(120).optional() }).strict(),
  /** The customer's end-of-call survey (written by main from the reporting inbox). */
  z.object({ type: z.literal('csat'), score: z.number().int().min(1).max(5), comment: z.string().max(1000).optional() }).strict(),
  /** A supervisor's verdict on an audited credit of this case (written by main from the reporting inbox). */
  z.object({ type: z.literal('credit_review'), creditSeq: RowId, verdict: z.enum(['fine', 'questioned']), note: z.string().max(1000).optional(), reviewerId: AgentId }).strict(),
]);
export type CaseEventBody = z.infer<typeof CaseEventBody>;
export type CaseEventType = CaseEventBody['type'];

/** What other capabilities may append directly. */
export const APPENDABLE_TYPES = ['session_started', 'session_ended', 'context_packet', 'snapshot', 'ocr_result', 'ocr_field_review', 'annotation_set', 'note', 'segment_started', 'segment_ended', 'guest'] as const satisfies readonly CaseEventType[];

export const StoredEvent = z.object({
  seq: RowId,
  caseId: RowId,
  customerId: RowId,
  at: z.number(),
  agentId: z.string(),
  body: CaseEventBody,
});
export type StoredEvent = z.infer<typeof StoredEvent>;

// ---------------------------------------------------------------- records

export const Account = z.object({
  id: RowId,
  number: z.string(),
  plan: z.string(),
  expectedMonthlyMinor: MinorAmount,
  currency: Currency,
});
export type Account = z.infer<typeof Account>;

export const Customer = z.object({
  id: RowId,
  name: z.string(),
  phones: z.array(z.string()),
  accounts: z.array(Account),
  createdAt: z.number(),
});
export type Customer = z.infer<typeof Customer>;

export const CaseStatus = z.enum(['open', 'resolved', 'dispatched', 'escalated']);
export const CaseRecord = z.object({
  id: RowId,
  customerId: RowId,
  accountId: RowId.nullable(),
  subject: z.string(),
  status: CaseStatus,
  assignedAgent: z.string().nullable(),
  openedAt: z.number(),
  updatedAt: z.number(),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

export const NewCustomer = z.object({
  name: line(200),
  /** Any common format; stored normalised to E.164. */
  phones: z.array(z.string().trim().min(3).max(32)).min(1).max(10),
  account: z.object({
    number: line(64),
    plan: line(120),
    expectedMonthlyMinor: MinorAmount,
    currency: Currency,
  }).strict().optional(),
}).strict();
export type NewCustomer = z.infer<typeof NewCustomer>;

export const ScreenPop = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('known'),
    ani: z.string(),
    e164: z.string(),
    customer: Customer,
    openCases: z.array(CaseRecord),
    recentCases: z.array(CaseRecord),
    /** Newest first, across all the customer's cases. */
    timeline: z.array(StoredEvent),
  }),
  /** e164 is null when the number could not be parsed at all. */
  z.object({ kind: z.literal('unknown'), ani: z.string(), e164: z.string().nullable() }),
]);
export type ScreenPop = z.infer<typeof ScreenPop>;

export const SearchHit = z.object({
  seq: RowId,
  caseId: RowId,
  customerId: RowId,
  customerName: z.string(),
  subject: z.string(),
  type: z.string(),
  at: z.number(),
  snippet: z.string(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const CreditPolicyView = z.object({
  currency: Currency,
  limitWithoutApprovalMinor: MinorAmount,
  auditThresholdMinor: MinorAmount,
});
export type CreditPolicyView = z.infer<typeof CreditPolicyView>;

/** Which running total a credit would take (or took) past a limit: the case's, or the agent's for the day. */
export const CreditTotal = z.enum(['case_total', 'agent_day_total']);
/** Why an audit row was written: an approval, or a running total above its audit threshold. */
export const AuditTrigger = z.enum(['approval', 'case_total', 'agent_day_total', 'imported']);
export type AuditTrigger = z.infer<typeof AuditTrigger>;

/**
 * Totals are running totals in the case currency: `caseTotalMinor` and
 * `agentDayTotalMinor` are what was credited before this request
 * (needs_approval) or including this credit (granted / approved).
 */
export const CreditResult = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('needs_approval'), amountMinor: MinorAmount, currency: Currency, limitWithoutApprovalMinor: MinorAmount,
    caseTotalMinor: MinorAmount, agentDayTotalMinor: MinorAmount, agentDayLimitWithoutApprovalMinor: MinorAmount,
    exceeds: z.array(CreditTotal).min(1),
  }),
  z.object({
    state: z.enum(['granted', 'approved']), audited: z.boolean(), event: StoredEvent, auditThresholdMinor: MinorAmount,
    caseTotalMinor: MinorAmount, agentDayTotalMinor: MinorAmount, auditTriggers: z.array(AuditTrigger),
  }),
]);
export type CreditResult = z.infer<typeof CreditResult>;

export const AuditEntry = z.object({
  id: RowId,
  eventSeq: RowId,
  caseId: RowId,
  agentId: z.string(),
  amountMinor: MinorAmount,
  currency: Currency,
  thresholdMinor: MinorAmount,
  approvedBy: z.string().nullable(),
  reason: z.string(),
  at: z.number(),
  /** The totals that triggered the row (null on rows written before running totals existed). */
  caseTotalMinor: MinorAmount.nullable(),
  agentDayTotalMinor: MinorAmount.nullable(),
  agentDayThresholdMinor: MinorAmount.nullable(),
  triggers: z.array(AuditTrigger),
  approvalGrantId: z.string().nullable(),
  /** For a credit that came in a case bundle: the exporting installation and case. */
  importedFrom: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** One agent's segment of a case (migration 8), projected from its segment_started / segment_ended events. */
export const CaseSegment = z.object({
  segmentId: SegmentId,
  caseId: RowId,
  previousSegmentId: SegmentId.nullable(),
  agentId: z.string(),
  via: SegmentVia,
  queue: z.string().nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  talkSec: z.number().nullable(),
  holdSec: z.number().nullable(),
  acwSec: z.number().nullable(),
  outcome: Outcome.nullable(),
});
export type CaseSegment = z.infer<typeof CaseSegment>;

/** A bundle lives in the data dir's bundles/ folder; the renderer names it, never a path. */
export const BundleName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'bundle name: letters, digits, . _ -');

/**
 * How an imported bundle's origin was established: its signature by a key
 * this workstation trusts, a fingerprint (of the signing key or of the
 * bundle's manifest) the importer gave, or not at all (then no credit,
 * approval or transfer events are accepted from it).
 */
export const BundleVerification = z.enum(['trusted_key', 'fingerprint', 'none']);
export type BundleVerification = z.infer<typeof BundleVerification>;

/** One bundle import attempt, imported or refused (append-only, like the credit audit). */
export const BundleImportEntry = z.object({
  id: RowId,
  at: z.number(),
  agentId: z.string(),
  bundleName: z.string(),
  manifestSha256: z.string().nullable(),
  origin: z.string().nullable(),
  signerFingerprint: z.string().nullable(),
  verifiedBy: BundleVerification,
  outcome: z.enum(['imported', 'refused']),
  errorCode: z.string().nullable(),
  detail: z.string().nullable(),
  caseId: RowId.nullable(),
  creditEvents: z.number().int(),
  transferEvents: z.number().int(),
});
export type BundleImportEntry = z.infer<typeof BundleImportEntry>;

const empty = z.object({}).strict();
const caseRef = z.object({ caseId: RowId }).strict();
const aniInput = z.object({ ani: z.string().trim().min(1).max(32) }).strict();

// ---------------------------------------------------------------- channels

export const caseChannels = defineChannels({
  /** Everything a screen pop shows, in one round trip. */
  'cases:screenPop': { input: aniInput, output: ScreenPop },
  'cases:lookupByAni': { input: aniInput, output: z.object({ e164: z.string().nullable(), customer: Customer.nullable() }) },
  'customers:create': { input: NewCustomer, output: Customer },
  'customers:get': { input: z.object({ customerId: RowId }).strict(), output: Customer },
  'customers:getExpectedCharge': {
    input: z.object({ customerId: RowId }).strict(),
    output: z.array(z.object({ accountId: RowId, accountNumber: z.string(), plan: z.string(), expectedMonthlyMinor: MinorAmount, currency: Currency })),
  },
  'cases:create': { input: z.object({ customerId: RowId, accountId: RowId.optional(), subject: line(300), category: IssueCategory.optional() }).strict(), output: CaseRecord },
  'cases:get': { input: caseRef, output: z.object({ case: CaseRecord, customer: Customer, events: z.array(StoredEvent) }) },
  /** Newest first; page with beforeSeq. */
  'cases:history': {
    input: z.object({ caseId: RowId, beforeSeq: RowId.optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
    output: z.array(StoredEvent),
  },
  'cases:appendEvent': { input: z.object({ caseId: RowId, event: CaseEventBody }).strict(), output: StoredEvent },
  'cases:putEvidence': {
    input: z.object({ caseId: RowId, mime: EvidenceMime, bytesBase64: z.string().min(1).max(Math.ceil(MAX_EVIDENCE_BYTES / 3) * 4) }).strict(),
    output: z.object({ sha256: Sha256, bytes: z.number().int() }),
  },
  /** Evidence of the case named (the one the agent has open); a sha256 of another case's evidence is not_found. */
  'cases:getEvidence': { input: z.object({ caseId: RowId, sha256: Sha256 }).strict(), output: z.object({ sha256: Sha256, mime: EvidenceMime, bytesBase64: z.string() }) },
  'cases:search': { input: z.object({ query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(100).optional() }).strict(), output: z.array(SearchHit) },
  'cases:addNote': { input: z.object({ caseId: RowId, text: line(10_000) }).strict(), output: StoredEvent },
  'cases:setDisposition': { input: z.object({ caseId: RowId, disposition: Disposition }).strict(), output: StoredEvent },
  'cases:issueCredit': {
    input: z.object({
      caseId: RowId,
      amountMinor: MinorAmount.refine((n) => n > 0, 'a credit is more than zero'),
      reason: line(500),
      /**
       * A supervisor's approval when the amount is above the agent's limit: the
       * grant the signaling server signed (approvals:request / approval_decided).
       * Main verifies it (signature, case, amount, currency, agent, expiry, one use).
       */
      approvalGrant: z.string().min(1).max(4096).optional(),
      /** No longer accepted: a typed name is not an approval. Kept in the schema so such a call gets the typed `approval_invalid`. */
      approvedBy: z.string().max(128).optional(),
    }).strict(),
    output: CreditResult,
  },
  'cases:creditPolicy': {
    input: z.object({ currency: Currency }).strict(),
    output: CreditPolicyView.extend({ agentDayLimitWithoutApprovalMinor: MinorAmount, agentDayAuditThresholdMinor: MinorAmount, policyError: z.string().nullable() }),
  },
  /** The case's agent segments, oldest first. */
  'cases:segments': { input: caseRef, output: z.array(CaseSegment) },
  'cases:auditLog': { input: z.object({ caseId: RowId.optional() }).strict(), output: z.array(AuditEntry) },
  'cases:transfer': { input: z.object({ caseId: RowId, toAgentId: AgentId, reason: z.string().max(500) }).strict(), output: StoredEvent },
  'cases:exportBundle': {
    input: caseRef,
    /** keyFingerprint: this installation's bundle-signing key, for the importer to check the signature against. */
    output: z.object({ bundleName: BundleName, manifestSha256: Sha256, files: z.number().int(), keyFingerprint: Sha256 }),
  },
  /**
   * fingerprint: the exporter's key fingerprint or the bundle's manifestSha256, as given by the exporter out
   * of band. Without one (or a trusted key's signature), a bundle holding credit or transfer events is refused
   * (bundle_unverified); a given fingerprint that does not match refuses the bundle too.
   */
  'cases:importBundle': {
    input: z.object({ bundleName: BundleName, fingerprint: Sha256.optional() }).strict(),
    output: z.object({ caseId: RowId, events: z.number().int(), verifiedBy: BundleVerification, signerFingerprint: Sha256.nullable() }),
  },
  /** The bundle import log, newest first. */
  'cases:bundleImports': { input: z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(), output: z.array(BundleImportEntry) },
  'cases:outboxStatus': {
    input: empty,
    output: z.object({ configured: z.boolean(), pending: z.number().int(), delivered: z.number().int(), dead: z.number().int() }),
  },
});
