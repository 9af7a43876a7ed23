/**
 * What the reporting endpoint takes in and answers. The envelope is the
 * outbox's `CrmDelivery` (src-main/outbox/deliverer.ts) plus, on
 * `case_opened`, the customer's keyed hashes (`customerKeys`): the only way
 * the reporting database knows a customer, so that a repeat contact from
 * another desktop is seen without a name or number ever leaving the desktop.
 */
import { z } from 'zod';

export const DAY_MS = 86_400_000;
export const MAX_WINDOW_DAYS = 90;

const Id = z.string().min(1).max(128);
export const EventKey = z.string().min(3).max(200).regex(/^[A-Za-z0-9_\-.]+:\d+$/, 'installId:seq');

export const Delivery = z.object({
  idempotencyKey: EventKey,
  installId: z.string().min(1).max(100).regex(/^[A-Za-z0-9_\-.]+$/),
  seq: z.number().int().positive(),
  caseId: z.number().int().positive(),
  customerId: z.number().int().positive(),
  type: z.string().min(1).max(40),
  at: z.number().int().min(0),
  agentId: Id,
  body: z.record(z.string(), z.unknown()),
  /** HMAC-SHA256 of the customer's E.164 numbers and account numbers with the reporting pepper (hex). */
  customerKeys: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(40).optional(),
}).strict().refine((d) => d.idempotencyKey === `${d.installId}:${d.seq}`, { message: 'idempotencyKey must be installId:seq', path: ['idempotencyKey'] });
export type Delivery = z.infer<typeof Delivery>;

// The bodies the KPIs read; other event types are kept in the log and otherwise ignored.
const Category = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/);
export const Bodies = {
  case_opened: z.object({ category: Category.optional() }).passthrough(),
  segment_started: z.object({ segmentId: Id, previousSegmentId: Id.optional(), via: z.enum(['new', 'warm_transfer', 'cold_transfer', 'consult']), queue: z.string().min(1).max(64).optional() }).passthrough(),
  segment_ended: z.object({ segmentId: Id, talkSec: z.number().min(0).max(86_400), holdSec: z.number().min(0).max(86_400), acwSec: z.number().min(0).max(86_400) }).passthrough(),
  disposition: z.object({ disposition: z.object({ outcome: z.enum(['resolved_remote', 'technician_dispatch', 'escalated_fraud']), dispatchCandidate: z.boolean().optional() }).passthrough() }).passthrough(),
  session_started: z.object({ sessionId: z.string().min(1).max(128), linkSentAt: z.number().int().min(0).optional() }).passthrough(),
  session_ended: z.object({ sessionId: z.string().min(1).max(128), reason: z.string().max(200), firstFrameMs: z.number().int().min(0).max(86_400_000).optional(), noFrameCause: z.string().max(40).optional() }).passthrough(),
  csat: z.object({ score: z.number().int().min(1).max(5), comment: z.string().max(1000).optional() }).passthrough(),
  credit: z.object({ amountMinor: z.number().int().min(0), currency: z.string().regex(/^[A-Z]{3}$/), reason: z.string().max(500), audited: z.boolean() }).passthrough(),
  credit_review: z.object({ creditSeq: z.number().int().positive(), verdict: z.enum(['fine', 'questioned']), note: z.string().max(1000).optional(), reviewerId: Id }).passthrough(),
} as const;

export const Verdict = z.enum(['fine', 'questioned']);
export type Verdict = z.infer<typeof Verdict>;

export const GroupBy = z.enum(['day', 'queue', 'agent', 'category']);
export type GroupBy = z.infer<typeof GroupBy>;

const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const KpiFilter = z.object({
  from: IsoDay,
  to: IsoDay,
  agentId: Id.optional(),
  queue: z.string().min(1).max(64).optional(),
  category: Category.optional(),
}).strict();
export type KpiFilter = z.infer<typeof KpiFilter>;

export interface KpiSettings {
  /** Repeat-contact window for FCR (days, default 7). */
  fcrWindowDays: number;
  /** A dispatch-candidate case counts as avoided only with no dispatch within this many days (default 14). */
  dispatchWindowDays: number;
  /** CSAT is not shown below this many responses (default 10). */
  csatMinN: number;
}
export const DEFAULT_KPI_SETTINGS: KpiSettings = { fcrWindowDays: 7, dispatchWindowDays: 14, csatMinN: 10 };

export interface KpiRow {
  /** The group's key: ISO day, queue, agent id or category; 'all' for the total. */
  key: string;
  contacts: number;
  closed: number;
  fcr: { resolvedFirst: number, rate: number | null };
  aht: { segments: number, avgSec: number | null };
  csat: { n: number, topTwo: number, rate: number | null, suppressed: boolean, offered: number, responseRate: number | null };
  dispatches: { candidates: number, avoided: number };
  visual: { sessions: number, share: number | null, noFrame: number };
  credits: { count: number, sumMinor: Record<string, number>, audited: number, questioned: number, auditedShare: number | null, questionedShare: number | null };
}

export interface KpiReport {
  filter: KpiFilter;
  groupBy: GroupBy | null;
  settings: KpiSettings;
  total: KpiRow;
  rows: KpiRow[];
  /** Link sent to first frame, nearest-rank percentiles over the whole filter. */
  firstFrame: { n: number, p50Ms: number | null, p90Ms: number | null };
  noFrameByCause: Array<{ cause: string, n: number }>;
  credits: Array<{ agentId: string, currency: string, count: number, sumMinor: number, audited: number, questioned: number }>;
}

export interface ContactRow {
  contactId: string;
  agentId: string;
  openedAt: number;
  day: string;
  category: string;
  queue: string;
  outcome: string | null;
  firstContactResolved: boolean;
  handleSec: number;
  visual: boolean;
  csat: number | null;
  credits: number;
}

export interface AuditItem {
  contactId: string;
  creditSeq: number;
  agentId: string;
  at: number;
  amountMinor: number;
  currency: string;
  reason: string;
  verdict: Verdict | null;
  reviewerId: string | null;
  note: string | null;
}

export interface ReviewRecord { id: number, installId: string, caseId: number, creditSeq: number, verdict: Verdict, note: string | null, reviewerId: string, at: number }
export interface SurveyRecord { id: number, roomId: string, agentId: string, score: number, comment: string | null, at: number }

export type IngestResult = { ok: true, duplicate: boolean } | { ok: false, code: 'invalid', message: string };

export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);
export const dayFromIso = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
