/**
 * The reporting store: case events in, the figures that run a contact center
 * out. Two implementations share one set of queries (sql-store.ts):
 * SQLite, a file on the signaling node (the embedded default), and
 * PostgreSQL by URL (production).
 *
 * Rules for implementations:
 * - ingest is idempotent by event key (`installId:seq`): an event delivered
 *   twice (the outbox is at-least-once) is stored and counted once, and the
 *   event and every figure derived from it commit in one transaction;
 * - ingest transactions run one at a time (on PostgreSQL across nodes, with
 *   an advisory lock), because an event changes rows it first reads (the
 *   repeat-contact gaps of a customer's earlier contacts);
 * - events may arrive in any order across desktops and cases (each case's
 *   own events arrive in order): derived figures come out the same;
 * - a review is recorded once per credit (the first verdict wins; a second
 *   answers `already_reviewed`), with its inbox row in the same transaction;
 * - no customer personal data is stored beyond keyed hashes, the agent's
 *   credit reason and the customer's own survey comment (neither is in any
 *   dashboard or export).
 */
import type { AuditItem, ContactRow, Delivery, GroupBy, IngestResult, KpiFilter, KpiReport, KpiSettings, ReviewRecord, SurveyRecord, Verdict } from './types';

export type ReviewResult =
  | { ok: true, review: ReviewRecord }
  | { ok: false, code: 'not_found' | 'not_audited' | 'already_reviewed' };

export interface ReportingStore {
  readonly dialect: 'sqlite' | 'postgres';
  ingest(event: Delivery, receivedAt: number): Promise<IngestResult>;
  /** Many events in one transaction (bulk delivery, benches). */
  ingestMany(events: readonly Delivery[], receivedAt: number): Promise<{ stored: number, duplicates: number, invalid: number }>;

  kpis(filter: KpiFilter, groupBy: GroupBy | null, settings?: Partial<KpiSettings>): Promise<KpiReport>;
  contacts(filter: KpiFilter, opts?: { limit?: number, offset?: number, fcrWindowDays?: number }): Promise<ContactRow[]>;

  auditQueue(opts?: { includeReviewed?: boolean, limit?: number }): Promise<AuditItem[]>;
  review(contactId: string, creditSeq: number, verdict: Verdict, note: string | null, reviewerId: string, at: number): Promise<ReviewResult>;
  /** Reviews of one desktop's cases after `afterId` (its inbox). */
  reviewsFor(installId: string, afterId: number, limit?: number): Promise<ReviewRecord[]>;
  /** Has this agent delivered events from this desktop (so may read its inbox)? */
  deliveredBy(installId: string, agentId: string): Promise<boolean>;

  /** A customer's survey answer for a room; once per room. */
  putSurvey(s: Omit<SurveyRecord, 'id'>): Promise<{ ok: true } | { ok: false, code: 'already_answered' }>;
  surveysFor(agentId: string, afterId: number, limit?: number): Promise<SurveyRecord[]>;

  /** The server's pepper for customer keys (created on first use, never changes). */
  pepper(): Promise<string>;
  close(): Promise<void>;
}
