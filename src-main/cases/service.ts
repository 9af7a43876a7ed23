import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AuditEntry, BundleImportEntry, BundleVerification, CaseEventBody, CaseRecord, CreditResult, Customer, Disposition, NewCustomer, ScreenPop, SearchHit, StoredEvent, CaseSegment,
} from '../../src-preload/contract/cases';
import { APPENDABLE_TYPES, CaseEventBody as CaseEventBodySchema, MAX_EVENT_JSON, MAX_EVIDENCE_BYTES } from '../../src-preload/contract/cases';
import { OutboxDeliverer, type CrmEndpoint } from '../outbox/deliverer';
import { ReportingSync, type ReportingEndpoint } from '../reporting/sync';
import { loadPolicy, type Policy } from '../policy/policy';
import type { PolicySources } from '../policy/resolve';
import { verifyBundle, writeBundle, type CaseJson } from './bundle';
import { checkSignature, loadOrCreateSigningKey, signatureFor, type SigningKey } from './bundle-signing';
import { openCaseData, type CaseData } from './data/client';
import type { Durability } from './data/open';
import { BUSY_TIMEOUT_MS } from './data/types';
import type { VerifiedApproval } from './approval';
import { CaseError, notFound } from './errors';
import { evidenceRefs } from './event-refs';
import { EvidenceFiles } from './evidence';
import { evidenceTypeMismatch } from './evidence-type';
import { localDay } from './local-day';
import { toE164 } from './phone';
import { matchExpression, searchableText, snippet } from './segment';

export interface CaseServiceOptions {
  dataDir: string;
  agentId: string;
  /** Who is signed in now (overrides agentId while someone is). */
  currentAgent?: () => string | undefined;
  /** Region for numbers without a country code (ISO 3166 alpha-2). */
  defaultRegion?: string;
  /** Path of the policy JSON file; missing file = defaults. */
  policyPath?: string | null;
  /** Managed-policy layers (machine, user policy, recommended) read at start-up; they outrank the credit file. */
  policySources?: PolicySources;
  /** CRM endpoint; null = the cache is the system of record (nothing is queued). */
  crm?: CrmEndpoint | null;
  durability?: Durability;
  now?: () => number;
  /** Deliverer dependencies (tests inject time/randomness). */
  outboxDeps?: ConstructorParameters<typeof OutboxDeliverer>[3];
  /** The reporting endpoint on the signaling node; null/absent = no reporting rows are queued. */
  reporting?: ReportingEndpoint | null;
  /**
   * Fingerprints (sha256 of the SubjectPublicKeyInfo, hex) of other installations' bundle-signing keys whose
   * signed bundles import with their credit and transfer events without a fingerprint typed in.
   */
  trustedBundleKeys?: readonly string[];
  /** Database knobs: the busy timeout, and a size cap that tests use to simulate a full disk. */
  database?: { busyTimeoutMs?: number; maxPageCount?: number };
}


const STATUS_AFTER: Record<Disposition['outcome'], CaseRecord['status']> = {
  resolved_remote: 'resolved',
  technician_dispatch: 'dispatched',
  escalated_fraud: 'escalated',
};

/** Check an event body against the contract and its size limit before it goes to the writer. */
function validEvent(body: CaseEventBody): CaseEventBody {
  const parsed = CaseEventBodySchema.safeParse(body);
  if (!parsed.success) throw new CaseError('invalid_argument', `event: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const size = JSON.stringify(parsed.data).length;
  if (size > MAX_EVENT_JSON) throw new CaseError('invalid_argument', `event is ${size} bytes; the limit is ${MAX_EVENT_JSON}`);
  return parsed.data;
}

/**
 * The local case cache as one service: customers by ANI, cases and their
 * append-only log, evidence, search, credits under policy, bundles and the
 * CRM outbox. The SQL runs in the database workers behind `data`; this class
 * holds the rules (phone numbers, policy, validation, bundle checks). Methods
 * reject with CaseError for expected failures (including `busy` and
 * `disk_full`); the handlers turn those into typed results.
 */
export class CaseService {
  readonly data: CaseData;
  readonly evidence: EvidenceFiles;
  readonly outbox: OutboxDeliverer | null;
  readonly reporting: ReportingSync | null;
  /** Resolves once the database is open and migrated; rejects with the reason it cannot be (e.g. schema_too_new). */
  readonly ready: Promise<void>;
  private readonly installIdP: Promise<string>;
  private policy: Policy;
  private readonly now: () => number;
  private readonly bundlesDir: string;
  private signingKey: SigningKey | null = null;
  readonly defaultRegion: string;

  constructor(readonly opts: CaseServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.defaultRegion = opts.defaultRegion ?? 'US';
    this.data = openCaseData({
      file: this.dbFile, durability: opts.durability ?? 'full', outbox: !!opts.crm, reporting: !!opts.reporting,
      busyTimeoutMs: opts.database?.busyTimeoutMs ?? BUSY_TIMEOUT_MS,
      ...(opts.database?.maxPageCount !== undefined ? { maxPageCount: opts.database.maxPageCount } : {}),
    });
    this.ready = this.data.ready;
    this.installIdP = this.data.reader.installId();
    this.installIdP.catch(() => undefined);
    this.evidence = new EvidenceFiles(join(opts.dataDir, 'evidence'));
    this.bundlesDir = join(opts.dataDir, 'bundles');
    this.policy = loadPolicy(opts.policyPath ?? null, opts.policySources?.layers, opts.policySources?.issues);
    this.outbox = opts.crm ? new OutboxDeliverer({
      heads: (limit) => this.data.reader.outboxHeads(limit),
      counts: () => this.data.reader.outboxCounts(),
      delivered: (seq, at) => this.data.writer.outboxDelivered(seq, at),
      retryAt: (seq, at, error) => this.data.writer.outboxRetry(seq, at, error),
      dead: (seq, error, at) => this.data.writer.outboxDead(seq, error, at),
    }, opts.crm, this.installIdP, { now: this.now, ...opts.outboxDeps }) : null;
    if (this.outbox) {
      const ob = this.outbox;
      this.ready.then(() => ob.start(), () => undefined);
    }
    this.reporting = opts.reporting ? new ReportingSync(this.data, opts.reporting, this.installIdP, () => this.agentId, { now: this.now, ...(opts.outboxDeps?.fetch ? { fetch: opts.outboxDeps.fetch } : {}), ...(opts.outboxDeps?.onError ? { onError: opts.outboxDeps.onError } : {}) }) : null;
    if (this.reporting) {
      const rs = this.reporting;
      this.ready.then(() => rs.start(), () => undefined);
    }
  }

  /** New events are queued: wake the deliverers. */
  private kick(): void {
    this.outbox?.kick();
    this.reporting?.kick();
  }

  /** The SQLite file (tests and benches open their own connection on it to check what was written). */
  get dbFile(): string { return join(this.opts.dataDir, 'cases.sqlite'); }
  /** The signed-in user when there is one (sign-in, issue 12), else the configured agent. */
  get agentId(): string { return this.opts.currentAgent?.() ?? this.opts.agentId; }

  /** The case's currency (from its account), or null; undefined when there is no such case. */
  async caseCurrency(caseId: number): Promise<string | null | undefined> { return (await this.data.reader.caseCurrency(caseId))?.currency; }
  installId(): Promise<string> { return this.installIdP; }

  /** Re-read the policy file (e.g. after the contact centre changed it). */
  reloadPolicy(): void { this.policy = loadPolicy(this.opts.policyPath ?? null, this.opts.policySources?.layers, this.opts.policySources?.issues); }

  normalise(raw: string): string | null { return toE164(raw, this.defaultRegion); }

  async screenPop(ani: string): Promise<ScreenPop> {
    const e164 = this.normalise(ani);
    const rows = e164 ? await this.data.reader.screenPop(e164, 10, 50) : null;
    if (!e164 || !rows) return { kind: 'unknown', ani, e164 };
    return { kind: 'known', ani, e164, ...rows };
  }

  async lookupByAni(ani: string): Promise<{ e164: string | null; customer: Customer | null }> {
    const e164 = this.normalise(ani);
    return { e164, customer: e164 ? await this.data.reader.customerByE164(e164) : null };
  }

  async createCustomer(input: NewCustomer): Promise<Customer> {
    const phones = input.phones.map((raw) => {
      const e164 = this.normalise(raw);
      if (!e164) throw new CaseError('invalid_argument', `"${raw}" is not a valid phone number`);
      return e164;
    });
    return this.data.writer.createCustomer({ name: input.name, phones: [...new Set(phones)], ...(input.account ? { account: input.account } : {}), at: this.now() });
  }

  async getCustomer(id: number): Promise<Customer> {
    const c = await this.data.reader.customerById(id);
    if (!c) throw notFound(`customer ${id}`);
    return c;
  }

  async expectedCharge(customerId: number) {
    const c = await this.getCustomer(customerId);
    return c.accounts.map((a) => ({ accountId: a.id, accountNumber: a.number, plan: a.plan, expectedMonthlyMinor: a.expectedMonthlyMinor, currency: a.currency }));
  }

  async createCase(input: { customerId: number; accountId?: number; subject: string; category?: string }): Promise<CaseRecord> {
    const r = await this.data.writer.createCase({ ...input, agentId: this.agentId, at: this.now() });
    this.kick();
    return r.case;
  }

  async getCase(caseId: number): Promise<{ case: CaseRecord; customer: Customer; events: StoredEvent[] }> {
    const v = await this.data.reader.caseView(caseId, 200);
    if (!v) throw notFound(`case ${caseId}`);
    return v;
  }

  async history(caseId: number, beforeSeq?: number, limit?: number): Promise<StoredEvent[]> {
    const events = await this.data.reader.history(caseId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit ?? 100);
    // Only an empty page needs the extra lookup to tell "no such case" from "no older events".
    if (events.length === 0 && !(await this.data.reader.caseById(caseId))) throw notFound(`case ${caseId}`);
    return events;
  }

  private async append(caseId: number, body: CaseEventBody, o: { statusAfter?: CaseRecord['status']; assignTo?: string } = {}): Promise<StoredEvent> {
    const e = await this.data.writer.append(caseId, validEvent(body), { agentId: this.agentId, at: this.now(), ...o });
    this.kick();
    return e;
  }

  /** For other capabilities; credits, dispositions and transfers have their own methods (policy and case state). */
  async appendEvent(caseId: number, event: CaseEventBody): Promise<StoredEvent> {
    if (!(APPENDABLE_TYPES as readonly string[]).includes(event.type)) {
      throw new CaseError('invalid_argument', `"${event.type}" events are written through their own channel, not cases:appendEvent`);
    }
    return this.append(caseId, event);
  }

  /** A supervisor's look at a sealed original (ocr:showOriginal): written before the original is shown. */
  recordOriginalViewed(caseId: number, event: Extract<CaseEventBody, { type: 'original_viewed' }>): Promise<StoredEvent> {
    return this.append(caseId, event);
  }

  addNote(caseId: number, text: string): Promise<StoredEvent> {
    return this.append(caseId, { type: 'note', text });
  }

  setDisposition(caseId: number, disposition: Disposition): Promise<StoredEvent> {
    return this.append(caseId, { type: 'disposition', disposition }, { statusAfter: STATUS_AFTER[disposition.outcome] });
  }

  async transfer(caseId: number, toAgentId: string, reason: string): Promise<StoredEvent> {
    if (toAgentId === this.agentId) throw new CaseError('invalid_argument', 'the case is already with this agent');
    return this.append(caseId, { type: 'transfer', fromAgentId: this.agentId, toAgentId, reason }, { assignTo: toAgentId });
  }

  /**
   * Credits under policy, on running totals. While the case's total (and
   * this agent's total for the day, across cases) stays within the limit:
   * granted. A credit that would take either past it: refused until it comes
   * with a verified approval. Every credit that leaves a total above its
   * audit threshold, and every approved one, commits with an audit row that
   * records the totals (the audit table refuses UPDATE and DELETE). No
   * credits on a closed case. The sums and the decision run in the writer's
   * one IMMEDIATE transaction, so concurrent calls cannot race past a limit.
   */
  async issueCredit(input: { caseId: number; amountMinor: number; reason: string }, approval: VerifiedApproval | null = null): Promise<CreditResult> {
    const found = await this.data.reader.caseCurrency(input.caseId);
    if (!found) throw notFound(`case ${input.caseId}`);
    if (!found.currency) throw new CaseError('invalid_argument', `case ${input.caseId} has no account, so there is no currency to credit in`);
    const at = this.now();
    const day = localDay(at);
    const r = await this.data.writer.issueCredit({
      caseId: input.caseId, amountMinor: input.amountMinor, reason: input.reason, approval, agentId: this.agentId, at, currency: found.currency,
      limits: { case: this.policy.credits(found.currency), agentDay: this.policy.creditsPerAgentDay(found.currency) },
      dayStartMs: day.start, dayEndMs: day.end,
    });
    if (r.state !== 'needs_approval') this.kick();
    return r;
  }

  creditPolicy(currency: string) {
    const day = this.policy.creditsPerAgentDay(currency);
    return {
      currency, ...this.policy.credits(currency),
      agentDayLimitWithoutApprovalMinor: day.limitWithoutApprovalMinor, agentDayAuditThresholdMinor: day.auditThresholdMinor,
      policyError: this.policy.error,
    };
  }

  auditLog(caseId?: number): Promise<AuditEntry[]> { return this.data.reader.auditLog(caseId); }

  async segments(caseId: number): Promise<CaseSegment[]> {
    if (!(await this.data.reader.caseById(caseId))) throw notFound(`case ${caseId}`);
    return this.data.reader.segments(caseId);
  }

  async putEvidence(caseId: number, mime: string, bytes: Uint8Array): Promise<{ sha256: string; bytes: number }> {
    if (bytes.length === 0) throw new CaseError('invalid_argument', 'evidence is empty');
    if (bytes.length > MAX_EVIDENCE_BYTES) throw new CaseError('invalid_argument', `evidence is ${bytes.length} bytes; the limit is ${MAX_EVIDENCE_BYTES}`);
    const mismatch = evidenceTypeMismatch(mime, bytes);
    if (mismatch) throw new CaseError('invalid_argument', `evidence refused: ${mismatch}`);
    if (!(await this.data.reader.caseById(caseId))) throw notFound(`case ${caseId}`);
    // File first, then the row: a crash in between leaves an unreferenced file, never a row without its file.
    const sha256 = this.evidence.write(bytes);
    await this.data.writer.putEvidence({ caseId, sha256, mime, bytes: bytes.length, at: this.now() });
    return { sha256, bytes: bytes.length };
  }

  /**
   * Evidence as the contract serves it: only through a case it belongs to, so
   * a sha256 seen in one customer's case (or guessed) cannot fetch another's
   * still. The same answer for "no such evidence" and "in another case", so
   * the call does not tell whether other cases hold it.
   */
  async getCaseEvidence(caseId: number, sha256: string): Promise<{ sha256: string; mime: string; bytes: Buffer }> {
    const mime = await this.data.reader.caseEvidenceMime(caseId, sha256);
    if (!mime) throw new CaseError('not_found', `evidence ${sha256} is not part of case ${caseId}`);
    return { sha256, mime, bytes: this.evidence.read(sha256) };
  }

  /** Any stored evidence by hash, for main's own use (export, tests); the contract goes through getCaseEvidence. */
  async getEvidence(sha256: string): Promise<{ sha256: string; mime: string; bytes: Buffer }> {
    const mime = await this.data.reader.evidenceMime(sha256);
    if (!mime) throw notFound(`evidence ${sha256}`);
    return { sha256, mime, bytes: this.evidence.read(sha256) };
  }

  /**
   * Full-text search. Newest matches first (what FTS5 serves fastest, and
   * the latest contact is what an agent is after), with a snippet.
   */
  async searchCases(query: string, limit?: number): Promise<SearchHit[]> {
    const match = matchExpression(query);
    if (!match) return [];
    const rows = await this.data.reader.search(match, limit ?? 20);
    return rows.map(({ body, ...r }) => ({ ...r, snippet: snippet(searchableText(body) ?? '', query) }));
  }

  async exportBundle(caseId: number): Promise<{ bundleName: string; manifestSha256: string; files: number; keyFingerprint: string }> {
    const { case: c, customer } = await this.getCase(caseId);
    const [events, evidence, installId] = await Promise.all([
      this.data.reader.history(caseId, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
      this.data.reader.caseEvidence(caseId),
      this.installIdP,
    ]);
    const account = c.accountId ? customer.accounts.find((a) => a.id === c.accountId) ?? null : null;
    const caseJson: CaseJson = {
      format: 'visual-assist-case-bundle', version: 1, exportedAt: this.now(),
      origin: { installId, caseId },
      customer: { name: customer.name, phones: customer.phones, accounts: customer.accounts.map(({ id: _id, ...a }) => a) },
      case: { subject: c.subject, status: c.status, openedAt: c.openedAt, accountNumber: account?.number ?? null },
      events: events.reverse().map((e) => ({ seq: e.seq, at: e.at, agentId: e.agentId, body: e.body })),
      evidence: evidence as CaseJson['evidence'],
    };
    const stamp = new Date(this.now()).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const bundleName = `case-${caseId}-${stamp}`;
    this.signingKey ??= loadOrCreateSigningKey(this.opts.dataDir);
    const key = this.signingKey;
    const r = writeBundle(this.bundlesDir, bundleName, caseJson, (sha) => this.evidence.read(sha), (manifestSha256) => signatureFor(key, manifestSha256, installId));
    return { bundleName, ...r, keyFingerprint: key.fingerprint };
  }

  /** This installation's bundle-signing key fingerprint (what an importer checks a bundle of ours against). */
  bundleKeyFingerprint(): string {
    this.signingKey ??= loadOrCreateSigningKey(this.opts.dataDir);
    return this.signingKey.fingerprint;
  }

  bundleImports(limit?: number): Promise<BundleImportEntry[]> { return this.data.reader.bundleImports(limit ?? 100); }

  /**
   * Verify, then import as a new local case: the customer is matched by phone
   * (or created), events keep their original time and agent, evidence is
   * re-stored by hash. A bundle is imported once (by its origin).
   *
   * Who exported it: the manifest's signature must verify (else
   * bundle_tampered), and the signer is trusted when its key is configured as
   * trusted or the importer gives a fingerprint (the key's or the manifest's)
   * that matches. Credit, approval and transfer events are money and
   * ownership: from a bundle whose exporter is not verified they are refused
   * (bundle_unverified, nothing imported). Every attempt lands in the import
   * log; imported credits are audited again under this installation's policy.
   */
  async importBundle(bundleName: string, fingerprint?: string): Promise<{ caseId: number; events: number; verifiedBy: BundleVerification; signerFingerprint: string | null }> {
    const at = this.now();
    const rec = {
      at, agentId: this.agentId, bundleName, manifestSha256: null as string | null, origin: null as string | null, signerFingerprint: null as string | null,
      verifiedBy: 'none' as BundleVerification, creditEvents: 0, transferEvents: 0,
    };
    try {
      const { caseJson: b, dir, manifestSha256 } = verifyBundle(join(this.bundlesDir, bundleName));
      const origin = `${b.origin.installId}:${b.origin.caseId}`;
      rec.manifestSha256 = manifestSha256;
      rec.origin = origin;
      rec.creditEvents = b.events.filter((e) => e.body.type === 'credit').length;
      rec.transferEvents = b.events.filter((e) => e.body.type === 'transfer').length;
      const signed = checkSignature(dir, manifestSha256, b.origin.installId);
      rec.signerFingerprint = signed?.keyFingerprint ?? null;
      if (fingerprint !== undefined) {
        if (fingerprint !== manifestSha256 && fingerprint !== signed?.keyFingerprint) {
          throw new CaseError('bundle_unverified', 'bundle refused: the fingerprint given matches neither this bundle nor the key that signed it');
        }
        rec.verifiedBy = 'fingerprint';
      } else if (signed && (this.opts.trustedBundleKeys ?? []).includes(signed.keyFingerprint)) {
        rec.verifiedBy = 'trusted_key';
      }
      if (rec.verifiedBy === 'none' && rec.creditEvents + rec.transferEvents > 0) {
        throw new CaseError('bundle_unverified', `bundle refused: it holds ${rec.creditEvents} credit and ${rec.transferEvents} transfer event(s) and its exporter cannot be verified ` +
          `(${signed ? `signed by key ${signed.keyFingerprint.slice(0, 16)}…, which this workstation does not trust` : 'not signed'}); import it with the fingerprint the exporting workstation gave`);
      }
      if (b.origin.installId === await this.installIdP) throw new CaseError('conflict', 'this bundle was exported from this workstation; the case is already here');
      if (await this.data.reader.originImported(origin)) throw new CaseError('conflict', 'this bundle was already imported');
      const mimeOf = new Map(b.evidence.map((e) => [e.sha256, e.mime]));
      for (const e of b.events) {
        validEvent(e.body);
        for (const sha of evidenceRefs(e.body)) {
          if (!mimeOf.has(sha)) throw new CaseError('bundle_tampered', `bundle refused: event ${e.seq} refers to evidence ${sha} that is not in the bundle`);
        }
      }
      const phones = b.customer.phones.map((raw) => {
        const e164 = this.normalise(raw);
        if (!e164) throw new CaseError('invalid_argument', `"${raw}" is not a valid phone number`);
        return e164;
      });
      for (const ev of b.evidence) {
        // verifyBundle checked these bytes; the store checks them again by naming the file after its hash.
        const bytes = readFileSync(join(dir, 'evidence', ev.sha256));
        const mismatch = evidenceTypeMismatch(ev.mime, bytes);
        if (mismatch) throw new CaseError('bundle_tampered', `bundle refused: evidence ${ev.sha256}: ${mismatch}`);
        const written = this.evidence.write(bytes);
        if (written !== ev.sha256) throw new CaseError('bundle_tampered', `bundle refused: evidence ${ev.sha256} changed while importing`);
      }
      const limits: Record<string, { case: ReturnType<Policy['credits']>; agentDay: ReturnType<Policy['creditsPerAgentDay']> }> = {};
      for (const e of b.events) {
        if (e.body.type === 'credit') limits[e.body.currency] ??= { case: this.policy.credits(e.body.currency), agentDay: this.policy.creditsPerAgentDay(e.body.currency) };
      }
      const { creditEvents: _c, transferEvents: _t, ...record } = rec;
      const r = await this.data.writer.importCase({ bundle: { ...b, customer: { ...b.customer, phones } }, origin, at, limits, record });
      this.kick();
      return { caseId: r.caseId, events: r.events, verifiedBy: rec.verifiedBy, signerFingerprint: rec.signerFingerprint };
    } catch (err) {
      // A refusal is part of the audit trail too (best effort: a full disk or a locked file cannot record it).
      if (err instanceof CaseError && err.code !== 'busy' && err.code !== 'disk_full') {
        await this.data.writer.recordBundleImport({ ...rec, outcome: 'refused', errorCode: err.code, detail: err.message.slice(0, 500), caseId: null }).catch(() => undefined);
      }
      throw err;
    }
  }

  /** The database's PRAGMA integrity_check, through the reader thread (diagnostics). */
  async integrity(): Promise<{ ok: boolean; messages: string[] }> {
    const messages = await this.data.reader.integrityCheck();
    return { ok: messages.length === 1 && messages[0] === 'ok', messages };
  }

  /** The last visual sessions' figures (durations, time to first frame, end reasons) for diagnostics. */
  recentSessions(limit = 20) {
    return this.data.reader.recentSessions(limit);
  }

  async outboxStatus() {
    const s = await this.data.reader.outboxCounts();
    return { configured: !!this.outbox, ...s };
  }

  async close(): Promise<void> {
    await this.outbox?.stop();
    await this.reporting?.stop();
    await this.data.close();
  }
}
