/**
 * The case database's one typed surface, in the manner of Signal Desktop's
 * DataReader/DataWriter: every query of the case cache is a method here, and
 * nothing outside src-main/cases/data/ prepares SQL. The methods run inside
 * the database workers (reader.ts, writer.ts); the main thread sees the same
 * methods returning Promises (client.ts).
 */
import type { VerifiedApproval } from '../approval';
import type { Account, AuditEntry, BundleImportEntry, BundleVerification, CaseEventBody, CaseRecord, CreditResult, Customer, StoredEvent, CaseSegment } from '../../../src-preload/contract/cases';
import type { CaseJson } from '../bundle';
import type { CreditLimits } from '../../policy/policy';
import type { ReportingDataReader, ReportingDataWriter } from './reporting';

/** Short enough that a locked file answers `busy` while the agent still waits, long enough to ride out a checkpoint. */
export const BUSY_TIMEOUT_MS = 750;

export interface ScreenPopRows { customer: Customer; openCases: CaseRecord[]; recentCases: CaseRecord[]; timeline: StoredEvent[] }
export interface CaseView { case: CaseRecord; customer: Customer; events: StoredEvent[] }
export interface SearchRow { seq: number; caseId: number; customerId: number; customerName: string; subject: string; type: string; at: number; body: CaseEventBody }
export interface SessionFigures { at: number; durationSec: number | null; firstFrameMs: number | null; reason: string | null; noFrameCause: string | null }
export interface EvidenceRow { sha256: string; mime: string; bytes: number }

/** One pending outbox row (the head of its case) with the event it carries. */
export interface OutboxItem { seq: number; caseId: number; customerId: number; attempts: number; nextAt: number; type: string; at: number; agentId: string; body: string }
export interface OutboxCounts { pending: number; delivered: number; dead: number }

export interface CaseDataReader extends ReportingDataReader {
  installId(): string;
  /** PRAGMA integrity_check: ['ok'] or the problems found (diagnostics). */
  integrityCheck(): string[];
  /** The newest `limit` visual sessions' figures, newest first: numbers and the app's own end reasons, nothing about the customer (diagnostics). */
  recentSessions(limit: number): SessionFigures[];
  customerById(id: number): Customer | null;
  customerByE164(e164: string): Customer | null;
  accounts(customerId: number): Account[];
  /** Customer, open and recent cases and the timeline, read in one snapshot. */
  screenPop(e164: string, recent: number, timeline: number): ScreenPopRows | null;
  caseById(id: number): CaseRecord | null;
  /** The case, its customer and its newest `limit` events, in one snapshot. */
  caseView(id: number, limit: number): CaseView | null;
  /** Newest first. */
  history(caseId: number, beforeSeq: number, limit: number): StoredEvent[];
  /** `match` is an FTS5 expression built by segment.ts; newest hits first. */
  search(match: string, limit: number): SearchRow[];
  /** The case's own account currency, else its customer's first; undefined when the case does not exist. */
  caseCurrency(caseId: number): { currency: string | null } | undefined;
  auditLog(caseId?: number): AuditEntry[];
  evidenceMime(sha256: string): string | null;
  caseEvidence(caseId: number): EvidenceRow[];
  /** The evidence's type if it is linked to this case, else null (even when another case holds it). */
  caseEvidenceMime(caseId: number, sha256: string): string | null;
  originImported(origin: string): boolean;
  /** The bundle import log, newest first. */
  bundleImports(limit: number): BundleImportEntry[];
  /** The case's agent segments (migration 8), oldest first. */
  segments(caseId: number): CaseSegment[];
  /** Heads of up to `limit` cases, soonest due first. */
  outboxHeads(limit: number): OutboxItem[];
  outboxCounts(): OutboxCounts;
}

export interface AppendOptions {
  at: number; agentId: string; statusAfter?: CaseRecord['status']; assignTo?: string;
  /** From a case bundle: already sent to the CRM by the exporting installation, so no outbox row. */
  imported?: boolean;
}

/**
 * A credit request with the policy's limits for the case's currency (read
 * before, checked again inside the transaction). The limits apply to running
 * totals: the case's credits so far, and this agent's credits in
 * [dayStartMs, dayEndMs) across cases, both summed inside the write
 * transaction so concurrent requests see each other.
 */
export interface CreditRequest {
  caseId: number; amountMinor: number; reason: string; approval: VerifiedApproval | null; agentId: string; at: number;
  currency: string;
  limits: { case: CreditLimits; agentDay: CreditLimits };
  dayStartMs: number; dayEndMs: number;
}

export interface CaseDataWriter extends ReportingDataWriter {
  /** Phones already in E.164 and unique; conflict if one (or the account number) is taken. */
  createCustomer(input: { name: string; phones: string[]; account?: Omit<Account, 'id'>; at: number }): Customer;
  createCase(input: { customerId: number; accountId?: number; subject: string; category?: string; agentId: string; at: number }): { case: CaseRecord; event: StoredEvent };
  /** The body was validated by the caller; the event, case touch, search entry, evidence links and outbox row commit together. */
  append(caseId: number, body: CaseEventBody, o: AppendOptions): StoredEvent;
  /** Links a stored evidence file to the case (the file is written first). */
  putEvidence(input: { caseId: number; sha256: string; mime: string; bytes: number; at: number }): void;
  /** Decides granted / needs_approval / approved and writes the event and its audit row in one transaction. */
  issueCredit(input: CreditRequest): CreditResult;
  /**
   * A checked bundle as a new case: customer matched by phone or created, events with their original time and
   * agent. Its credits' audit is rebuilt here (running totals and audit flags recomputed under this
   * installation's policy, never taken from the file), and the import is logged, in the same transaction.
   */
  importCase(input: ImportRequest): { caseId: number; events: number; audited: number };
  /** Log an import attempt that was refused (nothing else is written). */
  recordBundleImport(row: BundleImportRecord & { outcome: 'refused'; errorCode: string; detail: string; caseId: null }): void;
  outboxDelivered(seq: number, at: number): void;
  outboxRetry(seq: number, nextAt: number, error: string): void;
  outboxDead(seq: number, error: string, at: number): void;
}

/** What the import log records of one attempt. */
export interface BundleImportRecord {
  at: number; agentId: string; bundleName: string; manifestSha256: string | null; origin: string | null; signerFingerprint: string | null;
  verifiedBy: BundleVerification; outcome: 'imported' | 'refused'; errorCode: string | null; detail: string | null; caseId: number | null;
  creditEvents: number; transferEvents: number;
}

export interface ImportRequest {
  bundle: CaseJson; origin: string; at: number;
  /** The policy's limits per currency of the bundle's credits (the audit is rebuilt against them). */
  limits: Record<string, { case: CreditLimits; agentDay: CreditLimits }>;
  record: Omit<BundleImportRecord, 'outcome' | 'errorCode' | 'detail' | 'caseId' | 'creditEvents' | 'transferEvents'>;
}

/** How a worker opens its connection (structured-clone data). */
export interface DataOptions {
  file: string;
  role: 'reader' | 'writer';
  durability: 'full' | 'normal';
  /** Queue an outbox row with every event (a CRM endpoint is configured). */
  outbox: boolean;
  /** Queue a reporting outbox row with every event (a reporting endpoint is configured). */
  reporting?: boolean;
  /** Wait this long for another connection's lock before answering `busy`. */
  busyTimeoutMs: number;
  /** Caps the file at this many pages; tests use it to simulate a full disk. */
  maxPageCount?: number;
}
