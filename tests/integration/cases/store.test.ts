import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseError } from '../../../src-main/cases/errors';
import { CaseService } from '../../../src-main/cases/service';
import { useRawDb } from './raw-db';
import { useTempDirs } from './tmp';
import { pngBytes } from './fixtures/evidence-bytes';

const tmp = useTempDirs();
const raw = useRawDb();
const open: CaseService[] = [];
afterEach(async () => { for (const s of open.splice(0)) await s.close(); });

function service(opts: Partial<ConstructorParameters<typeof CaseService>[0]> = {}): CaseService {
  const s = new CaseService({ dataDir: tmp(), agentId: 'agent-7', ...opts });
  open.push(s);
  return s;
}

async function seed(s: CaseService, currency = 'USD') {
  const customer = await s.createCustomer({ name: 'Grace Hopper', phones: ['+1 (415) 555-2671', '+81 90-1234-5678'], account: { number: 'ACC-42', plan: 'Fiber 1G', expectedMonthlyMinor: currency === 'JPY' ? 6980 : 6999, currency } });
  const c = await s.createCase({ customerId: customer.id, accountId: customer.accounts[0]!.id, subject: 'Bill higher than expected' });
  return { customer, c };
}

const errorOf = async (fn: () => unknown): Promise<CaseError> => {
  try { await fn(); } catch (e) { return e as CaseError; }
  throw new Error('expected an error');
};

describe('customers and screen pop', () => {
  it('finds the customer from the ANI in any format, with open cases and a timeline', async () => {
    const s = service();
    const { customer, c } = await seed(s);
    await s.addNote(c.id, 'Customer disputes the 2nd line item');
    for (const ani of ['4155552671', '+14155552671', 'tel:+1-415-555-2671', '+819012345678']) {
      const pop = await s.screenPop(ani);
      expect(pop.kind, ani).toBe('known');
      if (pop.kind !== 'known') continue;
      expect(pop.customer.id).toBe(customer.id);
      expect(pop.openCases.map((x) => x.id)).toEqual([c.id]);
      expect(pop.timeline.map((e) => e.body.type)).toEqual(['note', 'case_opened']);
    }
  });

  it('reports an unknown number normalised (for the new-customer form) or unparseable', async () => {
    const s = service();
    await seed(s);
    expect(await s.screenPop('(212) 555-0100')).toEqual({ kind: 'unknown', ani: '(212) 555-0100', e164: '+12125550100' });
    expect(await s.screenPop('anonymous')).toEqual({ kind: 'unknown', ani: 'anonymous', e164: null });
  });

  it('refuses a number that already belongs to someone else, and invalid numbers', async () => {
    const s = service();
    await seed(s);
    expect((await errorOf(() => s.createCustomer({ name: 'Other', phones: ['415-555-2671'] }))).code).toBe('conflict');
    expect((await errorOf(() => s.createCustomer({ name: 'Other', phones: ['12'] }))).code).toBe('invalid_argument');
  });

  it('reports the expected monthly charge in the account currency', async () => {
    const s = service();
    const { customer } = await seed(s, 'JPY');
    expect(await s.expectedCharge(customer.id)).toEqual([{ accountId: customer.accounts[0]!.id, accountNumber: 'ACC-42', plan: 'Fiber 1G', expectedMonthlyMinor: 6980, currency: 'JPY' }]);
  });
});

describe('append-only event log', () => {
  it('refuses UPDATE and DELETE of events, even through SQL on a connection of its own', async () => {
    const s = service();
    const { c } = await seed(s);
    const note = await s.addNote(c.id, 'original words');
    const db = raw(s.dbFile);
    expect(() => db.prepare(`UPDATE events SET body = json_object('type','note','text','rewritten') WHERE seq = ?`).run(note.seq)).toThrow(/append-only: UPDATE refused/);
    expect(() => db.prepare('DELETE FROM events WHERE seq = ?').run(note.seq)).toThrow(/append-only: DELETE refused/);
    expect((await s.history(c.id))[0]!.body).toEqual({ type: 'note', text: 'original words' });
  });

  it('validates events and refuses policy-bound kinds through appendEvent', async () => {
    const s = service();
    const { c } = await seed(s);
    expect((await errorOf(() => s.appendEvent(c.id, { type: 'credit', amountMinor: 1, currency: 'USD', reason: 'x', state: 'granted', audited: false }))).message).toMatch(/own channel/);
    expect((await errorOf(() => s.appendEvent(999, { type: 'note', text: 'x' }))).code).toBe('not_found');
    expect((await errorOf(() => s.appendEvent(c.id, { type: 'snapshot', sha256: 'a'.repeat(64), mime: 'image/png', width: 1, height: 1 }))).message).toMatch(/not stored/);
  });

  it('moves the case status with the disposition and records transfers', async () => {
    const s = service();
    const { c } = await seed(s);
    await s.setDisposition(c.id, { outcome: 'technician_dispatch', summary: 'ONT dead', partsAndTools: [{ item: 'ONT (GPON)', qty: 1 }, { item: 'fibre patch lead', qty: 2 }] });
    expect((await s.getCase(c.id)).case.status).toBe('dispatched');
    await s.setDisposition(c.id, { outcome: 'escalated_fraud', summary: 'caller could not verify; card disputed elsewhere' });
    expect((await s.getCase(c.id)).case.status).toBe('escalated');
    const t = await s.transfer(c.id, 'agent-9', 'billing specialist');
    expect(t.body).toEqual({ type: 'transfer', fromAgentId: 'agent-7', toAgentId: 'agent-9', reason: 'billing specialist' });
    expect((await s.getCase(c.id)).case.assignedAgent).toBe('agent-9');
    expect(await s.screenPop('4155552671')).toMatchObject({ kind: 'known', openCases: [] });
  });
});

describe('search (FTS5), English and Japanese', () => {
  it('finds cases by words in notes, OCR text and subjects', async () => {
    const s = service();
    const { customer, c } = await seed(s);
    const c2 = await s.createCase({ customerId: customer.id, subject: 'ルーターの故障' });
    await s.addNote(c.id, 'The customer was double-billed for the router rental in March.');
    await s.appendEvent(c2.id, { type: 'ocr_result', lang: 'jpn', text: 'ご請求書\n請求金額 ¥12,800\n二重請求の可能性あり', confidence: 81 });
    await s.addNote(c2.id, 'お客様は請求書の金額に納得していません');

    const cases = async (q: string) => [...new Set((await s.searchCases(q)).map((h) => h.caseId))].sort();
    expect(await cases('router')).toEqual([c.id]);
    expect(await cases('billed')).toEqual([c.id]);
    expect(await cases('double bill')).toEqual([c.id]); // stemmed: bill → billed
    expect(await cases('billing')).toEqual([c.id]);
    expect(await cases('rent*')).toEqual([c.id]); // explicit prefix: rental
    expect(await cases('請求書')).toEqual([c2.id]);
    expect(await cases('二重請求')).toEqual([c2.id]);
    expect(await cases('請求')).toEqual([c2.id]);
    expect(await cases('ルーター')).toEqual([c2.id]);
    expect(await cases('higher')).toEqual([c.id]); // case subject
    expect(await cases('三重請求')).toEqual([]);
    expect(await cases('refund')).toEqual([]);
    const hit = (await s.searchCases('二重請求'))[0]!;
    expect(hit).toMatchObject({ customerName: 'Grace Hopper', subject: 'ルーターの故障', type: 'ocr_result' });
    expect(hit.snippet).toContain('二重請求');
  });

  it('treats FTS syntax typed by the agent as plain words', async () => {
    const s = service();
    const { c } = await seed(s);
    await s.addNote(c.id, 'NEAR the OR gate');
    await expect(s.searchCases('"unbalanced')).resolves.toBeDefined();
    expect((await s.searchCases('NEAR OR')).map((h) => h.caseId)).toEqual([c.id]);
  });
});

describe('credits under policy', () => {
  it('grants within the limit, asks for approval above it, audits above the threshold (USD cents)', async () => {
    const s = service();
    const { c } = await seed(s);
    const small = await s.issueCredit({ caseId: c.id, amountMinor: 10_00, reason: 'goodwill' });
    expect(small).toMatchObject({ state: 'granted', audited: false });
    const audited = await s.issueCredit({ caseId: c.id, amountMinor: 300_00, reason: 'double charge March' });
    expect(audited).toMatchObject({ state: 'granted', audited: true, auditThresholdMinor: 250_00 });
    const tooBig = await s.issueCredit({ caseId: c.id, amountMinor: 900_00, reason: 'outage week' });
    expect(tooBig).toMatchObject({ state: 'needs_approval', amountMinor: 900_00, currency: 'USD', limitWithoutApprovalMinor: 500_00, caseTotalMinor: 310_00, exceeds: ['case_total'] });
    const approved = await s.issueCredit({ caseId: c.id, amountMinor: 900_00, reason: 'outage week' }, { approverId: 'supervisor-3', approverName: 'Supervisor Three', nonce: 'n-0123456789abcdefghijkl', grantId: 'g-1' });
    expect(approved).toMatchObject({ state: 'approved', audited: true });

    const log = await s.auditLog(c.id);
    expect(log.map((a) => [a.amountMinor, a.approvedBy])).toEqual([[900_00, 'supervisor-3'], [300_00, null]]);
    expect(log.every((a) => a.currency === 'USD' && a.thresholdMinor === 250_00 && a.agentId === 'agent-7')).toBe(true);
    // Only granted/approved credits are events; the refused request left nothing behind.
    expect((await s.history(c.id)).filter((e) => e.body.type === 'credit')).toHaveLength(3);
  });

  it('uses the account currency: 250 JPY is the default threshold for a yen account', async () => {
    const s = service();
    const { c } = await seed(s, 'JPY');
    expect(await s.issueCredit({ caseId: c.id, amountMinor: 200, reason: 'x' })).toMatchObject({ audited: false });
    expect(await s.issueCredit({ caseId: c.id, amountMinor: 251, reason: 'y' })).toMatchObject({ audited: true, auditThresholdMinor: 250 });
  });

  it('takes limits from the policy file', async () => {
    const dir = tmp();
    const policyPath = join(dir, 'policy.json');
    writeFileSync(policyPath, JSON.stringify({ credits: { limitWithoutApproval: 20, auditThreshold: 10 } }));
    const s = service({ policyPath });
    const { c } = await seed(s);
    expect(await s.issueCredit({ caseId: c.id, amountMinor: 15_00, reason: 'x' })).toMatchObject({ state: 'granted', audited: true });
    expect((await s.issueCredit({ caseId: c.id, amountMinor: 25_00, reason: 'x' })).state).toBe('needs_approval');
  });

  it('keeps the audit log out of the agent\'s reach (no UPDATE, no DELETE)', async () => {
    const s = service();
    const { c } = await seed(s);
    await s.issueCredit({ caseId: c.id, amountMinor: 400_00, reason: 'x' });
    const db = raw(s.dbFile);
    expect(() => db.prepare('UPDATE credit_audit SET amount_minor = 1').run()).toThrow(/audit log is append-only/);
    expect(() => db.prepare('DELETE FROM credit_audit').run()).toThrow(/audit log is append-only/);
    expect((await s.auditLog())[0]!.amountMinor).toBe(400_00);
  });
});

describe('content-addressed evidence', () => {
  it('stores by sha256, deduplicates, and refuses a file altered on disk', async () => {
    const s = service();
    const { c } = await seed(s);
    const png = pngBytes('-fake-still');
    const a = await s.putEvidence(c.id, 'image/png', png);
    const b = await s.putEvidence(c.id, 'image/png', png);
    expect(a).toEqual(b);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    await s.appendEvent(c.id, { type: 'snapshot', sha256: a.sha256, mime: 'image/png', width: 1280, height: 720 });
    expect((await s.getEvidence(a.sha256)).bytes.equals(png)).toBe(true);

    writeFileSync(s.evidence.pathOf(a.sha256), Buffer.from('doctored'));
    const err = await errorOf(() => s.getEvidence(a.sha256));
    expect(err.code).toBe('evidence_corrupt');
  });
});
