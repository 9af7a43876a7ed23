import type { Database } from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AuditEntry, CaseEventBody, CaseRecord, CreditResult, Customer, Disposition, NewCustomer, ScreenPop, SearchHit, StoredEvent,
} from '../../src-preload/contract/cases';
import { APPENDABLE_TYPES, MAX_EVIDENCE_BYTES } from '../../src-preload/contract/cases';
import { OutboxDeliverer, type CrmEndpoint } from '../outbox/deliverer';
import { OutboxQueue } from '../outbox/queue';
import { loadPolicy, type Policy } from '../policy/policy';
import { verifyBundle, writeBundle, type CaseJson } from './bundle';
import { Credits } from './credits';
import { Customers } from './customers';
import { openCaseDb, type Durability } from './db';
import { CaseError, notFound } from './errors';
import { EvidenceFiles } from './evidence';
import { CaseLog, evidenceRefs } from './log';
import { CaseSearch } from './search';

export interface CaseServiceOptions {
  dataDir: string;
  agentId: string;
  /** Region for numbers without a country code (ISO 3166 alpha-2). */
  defaultRegion?: string;
  /** Path of the policy JSON file; missing file = defaults. */
  policyPath?: string | null;
  /** CRM endpoint; null = the cache is the system of record (nothing is queued). */
  crm?: CrmEndpoint | null;
  durability?: Durability;
  now?: () => number;
  /** Deliverer dependencies (tests inject time/randomness). */
  outboxDeps?: ConstructorParameters<typeof OutboxDeliverer>[3];
}

const STATUS_AFTER: Record<Disposition['outcome'], CaseRecord['status']> = {
  resolved_remote: 'resolved',
  technician_dispatch: 'dispatched',
  escalated_fraud: 'escalated',
};

/**
 * The local case cache as one service: customers by ANI, cases and their
 * append-only log, evidence, search, credits under policy, bundles and the
 * CRM outbox. Methods throw CaseError for expected failures; the handlers
 * turn those into typed results.
 */
export class CaseService {
  readonly db: Database;
  readonly customers: Customers;
  readonly log: CaseLog;
  readonly search: CaseSearch;
  readonly evidence: EvidenceFiles;
  readonly credits: Credits;
  readonly installId: string;
  readonly outbox: OutboxDeliverer | null;
  private policy: Policy;
  private readonly now: () => number;
  private readonly bundlesDir: string;

  constructor(readonly opts: CaseServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.db = openCaseDb(join(opts.dataDir, 'cases.sqlite'), { durability: opts.durability ?? 'full' });
    this.customers = new Customers(this.db, opts.defaultRegion ?? 'US');
    this.log = new CaseLog(this.db, { outbox: !!opts.crm, now: this.now });
    this.search = new CaseSearch(this.db);
    this.evidence = new EvidenceFiles(join(opts.dataDir, 'evidence'));
    this.bundlesDir = join(opts.dataDir, 'bundles');
    this.policy = loadPolicy(opts.policyPath ?? null);
    this.credits = new Credits(this.db, this.log, () => this.policy);
    this.installId = (this.db.prepare(`SELECT value FROM meta WHERE key = 'install_id'`).get() as { value: string }).value;
    this.outbox = opts.crm ? new OutboxDeliverer(this.db, opts.crm, this.installId, { now: this.now, ...opts.outboxDeps }) : null;
    if (this.outbox) {
      const ob = this.outbox;
      this.log.onCommit = () => ob.kick();
      ob.start();
    }
  }

  get agentId(): string { return this.opts.agentId; }

  /** Re-read the policy file (e.g. after the contact centre changed it). */
  reloadPolicy(): void { this.policy = loadPolicy(this.opts.policyPath ?? null); }

  screenPop(ani: string): ScreenPop {
    const e164 = this.customers.normalise(ani);
    const customer = e164 ? this.customers.byE164(e164) : null;
    if (!e164 || !customer) return { kind: 'unknown', ani, e164 };
    return {
      kind: 'known', ani, e164, customer,
      openCases: this.log.openCases(customer.id),
      recentCases: this.log.recentCases(customer.id, 10),
      timeline: this.log.timeline(customer.id, 50),
    };
  }

  lookupByAni(ani: string): { e164: string | null; customer: Customer | null } {
    const e164 = this.customers.normalise(ani);
    return { e164, customer: e164 ? this.customers.byE164(e164) : null };
  }

  createCustomer(input: NewCustomer): Customer { return this.customers.create(input, this.now()); }

  getCustomer(id: number): Customer {
    const c = this.customers.get(id);
    if (!c) throw notFound(`customer ${id}`);
    return c;
  }

  expectedCharge(customerId: number) {
    this.getCustomer(customerId);
    return this.customers.accounts(customerId).map((a) => ({ accountId: a.id, accountNumber: a.number, plan: a.plan, expectedMonthlyMinor: a.expectedMonthlyMinor, currency: a.currency }));
  }

  createCase(input: { customerId: number; accountId?: number; subject: string }): CaseRecord {
    if (!this.customers.get(input.customerId)) throw notFound(`customer ${input.customerId}`);
    return this.log.createCase({ ...input, agentId: this.agentId });
  }

  getCase(caseId: number): { case: CaseRecord; customer: Customer; events: StoredEvent[] } {
    const c = this.log.getCase(caseId);
    if (!c) throw notFound(`case ${caseId}`);
    return { case: c, customer: this.getCustomer(c.customerId), events: this.log.history(caseId, undefined, 200) };
  }

  history(caseId: number, beforeSeq?: number, limit?: number): StoredEvent[] {
    const events = this.log.history(caseId, beforeSeq, limit ?? 100);
    // Only an empty page needs the extra lookup to tell "no such case" from "no older events".
    if (events.length === 0 && !this.log.getCase(caseId)) throw notFound(`case ${caseId}`);
    return events;
  }

  /** For other capabilities; credits, dispositions and transfers have their own methods (policy and case state). */
  appendEvent(caseId: number, event: CaseEventBody): StoredEvent {
    if (!(APPENDABLE_TYPES as readonly string[]).includes(event.type)) {
      throw new CaseError('invalid_argument', `"${event.type}" events are written through their own channel, not cases:appendEvent`);
    }
    return this.log.append(caseId, event, { agentId: this.agentId });
  }

  addNote(caseId: number, text: string): StoredEvent {
    return this.log.append(caseId, { type: 'note', text }, { agentId: this.agentId });
  }

  setDisposition(caseId: number, disposition: Disposition): StoredEvent {
    return this.log.append(caseId, { type: 'disposition', disposition }, { agentId: this.agentId, statusAfter: STATUS_AFTER[disposition.outcome] });
  }

  transfer(caseId: number, toAgentId: string, reason: string): StoredEvent {
    if (toAgentId === this.agentId) throw new CaseError('invalid_argument', 'the case is already with this agent');
    return this.log.append(caseId, { type: 'transfer', fromAgentId: this.agentId, toAgentId, reason }, { agentId: this.agentId, assignTo: toAgentId });
  }

  issueCredit(input: { caseId: number; amountMinor: number; reason: string; approvedBy?: string }): CreditResult {
    return this.credits.issue(input, this.agentId);
  }

  creditPolicy(currency: string) {
    return { currency, ...this.policy.credits(currency), policyError: this.policy.error };
  }

  auditLog(caseId?: number): AuditEntry[] { return this.credits.auditLog(caseId); }

  putEvidence(caseId: number, mime: string, bytes: Buffer): { sha256: string; bytes: number } {
    if (bytes.length === 0) throw new CaseError('invalid_argument', 'evidence is empty');
    if (bytes.length > MAX_EVIDENCE_BYTES) throw new CaseError('invalid_argument', `evidence is ${bytes.length} bytes; the limit is ${MAX_EVIDENCE_BYTES}`);
    if (!this.log.getCase(caseId)) throw notFound(`case ${caseId}`);
    // File first, then the row: a crash in between leaves an unreferenced file, never a row without its file.
    const sha256 = this.evidence.write(bytes);
    this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO evidence (sha256, mime, bytes, stored_at) VALUES (?, ?, ?, ?)').run(sha256, mime, bytes.length, this.now());
      this.db.prepare('INSERT OR IGNORE INTO case_evidence (case_id, sha256) VALUES (?, ?)').run(caseId, sha256);
    }).immediate();
    return { sha256, bytes: bytes.length };
  }

  getEvidence(sha256: string): { sha256: string; mime: string; bytes: Buffer } {
    const row = this.db.prepare('SELECT mime FROM evidence WHERE sha256 = ?').get(sha256) as { mime: string } | undefined;
    if (!row) throw notFound(`evidence ${sha256}`);
    return { sha256, mime: row.mime, bytes: this.evidence.read(sha256) };
  }

  searchCases(query: string, limit?: number): SearchHit[] { return this.search.search(query, limit ?? 20); }

  exportBundle(caseId: number): { bundleName: string; manifestSha256: string; files: number } {
    const { case: c, customer } = this.getCase(caseId);
    const events = this.log.history(caseId, undefined, Number.MAX_SAFE_INTEGER).reverse();
    const evidence = this.db.prepare('SELECT e.sha256, e.mime, e.bytes FROM case_evidence ce JOIN evidence e ON e.sha256 = ce.sha256 WHERE ce.case_id = ? ORDER BY e.sha256').all(caseId) as CaseJson['evidence'];
    const account = c.accountId ? customer.accounts.find((a) => a.id === c.accountId) ?? null : null;
    const caseJson: CaseJson = {
      format: 'visual-assist-case-bundle', version: 1, exportedAt: this.now(),
      origin: { installId: this.installId, caseId },
      customer: { name: customer.name, phones: customer.phones, accounts: customer.accounts.map(({ id: _id, ...a }) => a) },
      case: { subject: c.subject, status: c.status, openedAt: c.openedAt, accountNumber: account?.number ?? null },
      events: events.map((e) => ({ seq: e.seq, at: e.at, agentId: e.agentId, body: e.body })),
      evidence,
    };
    const stamp = new Date(this.now()).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const bundleName = `case-${caseId}-${stamp}`;
    const r = writeBundle(this.bundlesDir, bundleName, caseJson, (sha) => this.evidence.read(sha));
    return { bundleName, ...r };
  }

  /**
   * Verify, then import as a new local case: the customer is matched by phone
   * (or created), events keep their original time and agent, evidence is
   * re-stored by hash. A bundle is imported once (by its origin).
   */
  importBundle(bundleName: string): { caseId: number; events: number } {
    const { caseJson: b, dir } = verifyBundle(join(this.bundlesDir, bundleName));
    const origin = `${b.origin.installId}:${b.origin.caseId}`;
    if (b.origin.installId === this.installId) throw new CaseError('conflict', 'this bundle was exported from this workstation; the case is already here');
    if (this.db.prepare('SELECT 1 FROM cases WHERE origin = ?').get(origin)) throw new CaseError('conflict', 'this bundle was already imported');
    const mimeOf = new Map(b.evidence.map((e) => [e.sha256, e.mime]));
    for (const e of b.events) for (const sha of evidenceRefs(e.body)) {
      if (!mimeOf.has(sha)) throw new CaseError('bundle_tampered', `bundle refused: event ${e.seq} refers to evidence ${sha} that is not in the bundle`);
    }
    for (const ev of b.evidence) {
      // verifyBundle checked these bytes; the store checks them again by naming the file after its hash.
      const written = this.evidence.write(readFileSync(join(dir, 'evidence', ev.sha256)));
      if (written !== ev.sha256) throw new CaseError('bundle_tampered', `bundle refused: evidence ${ev.sha256} changed while importing`);
    }
    const caseId = this.db.transaction(() => {
      let customer: Customer | null = null;
      for (const p of b.customer.phones) { customer = this.customers.byE164(p); if (customer) break; }
      if (!customer) {
        const acct = b.customer.accounts.find((a) => !this.db.prepare('SELECT 1 FROM accounts WHERE number = ?').get(a.number));
        customer = this.customers.create({ name: b.customer.name, phones: b.customer.phones.length ? b.customer.phones : [], ...(acct ? { account: acct } : {}) }, this.now());
      }
      const accountId = b.case.accountNumber ? customer.accounts.find((a) => a.number === b.case.accountNumber)?.id : undefined;
      const id = Number(this.db.prepare('INSERT INTO cases (customer_id, account_id, subject, status, opened_at, updated_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(customer.id, accountId ?? null, b.case.subject, b.case.status, b.case.openedAt, b.case.openedAt, origin).lastInsertRowid);
      for (const ev of b.evidence) {
        this.db.prepare('INSERT OR IGNORE INTO evidence (sha256, mime, bytes, stored_at) VALUES (?, ?, ?, ?)').run(ev.sha256, ev.mime, ev.bytes, this.now());
      }
      for (const e of b.events) this.log.appendInTx(id, e.body, { at: e.at, agentId: e.agentId });
      this.db.prepare('UPDATE cases SET status = ? WHERE id = ?').run(b.case.status, id);
      return id;
    }).immediate();
    this.outbox?.kick();
    return { caseId, events: b.events.length };
  }

  outboxStatus() {
    const s = new OutboxQueue(this.db).status();
    return { configured: !!this.outbox, ...s };
  }

  async close(): Promise<void> {
    await this.outbox?.stop();
    if (this.db.open) this.db.close();
  }
}
