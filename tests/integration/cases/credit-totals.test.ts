import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config';
import { createHandlers } from '../../../src-main/handlers';
import { createLogger } from '../../../src-main/log';
import { createRouter } from '../../../src-main/router';
import { createServices, type Services } from '../../../src-main/services';
import { useTempDirs } from './tmp';

/**
 * Credit policy on running totals, through the contract: the limit without
 * approval and the audit threshold apply to what a case (and an agent, per
 * day) has been given so far, decided in the write transaction.
 */
const tmp = useTempDirs();
const open: Services[] = [];
afterEach(async () => { for (const s of open.splice(0)) await s.close(); });
const ctx = { host: 'web' as const };

type Router = ReturnType<typeof createRouter>;
interface Ok<T> { ok: true; value: T }

function router(policy: object | null = null, dataDir = tmp(), agentId = 'agent-r'): Router {
  if (policy) writeFileSync(join(dataDir, 'policy.json'), JSON.stringify(policy));
  const log = createLogger({ scope: 'test', level: 'error' });
  const services = createServices(loadConfig({ dataDir, agentId, locale: 'en' }, {}), { log });
  open.push(services);
  // Grants are verified for real in tests/integration/approvals/grants.test.ts; here, where the
  // arithmetic on totals is the subject, a grant string stands for one verified supervisor approval.
  services.checkGrant = async (grant) => ({ approverId: 'sup-1', approverName: 'Supervisor One', nonce: `n-${grant}-0123456789abcdef`, grantId: `g-${grant}` });
  return createRouter(createHandlers(services), { log });
}

let phone = 2671;
async function openCase(r: Router, customerId?: number): Promise<{ caseId: number; customerId: number }> {
  if (customerId === undefined) {
    const n = phone++;
    const cu = await r.dispatch('customers:create', { name: `Cust ${n}`, phones: [`+1415555${n}`], account: { number: `A${n}`, plan: 'Basic', expectedMonthlyMinor: 2999, currency: 'USD' } }, ctx) as Ok<{ id: number; accounts: { id: number }[] }>;
    expect(cu.ok).toBe(true);
    customerId = cu.value.id;
  }
  const c = await r.dispatch('cases:create', { customerId, subject: 'billing dispute' }, ctx) as Ok<{ id: number }>;
  expect(c.ok).toBe(true);
  return { caseId: c.value.id, customerId };
}

const credit = (r: Router, caseId: number, major: number, reason = 'goodwill') =>
  r.dispatch('cases:issueCredit', { caseId, amountMinor: major * 100, reason }, ctx);

describe('credit policy on running totals (per case)', () => {
  it('audits the second of two 200 credits against a 250 threshold, with the totals that triggered it', async () => {
    const r = router({ credits: { limitWithoutApproval: 500, auditThreshold: 250 } });
    const { caseId } = await openCase(r);
    expect(await credit(r, caseId, 200)).toMatchObject({ ok: true, value: { state: 'granted', audited: false } });
    expect(await credit(r, caseId, 200)).toMatchObject({ ok: true, value: { state: 'granted', audited: true, caseTotalMinor: 400_00 } });
    const log = await r.dispatch('cases:auditLog', { caseId }, ctx) as Ok<Record<string, unknown>[]>;
    expect(log.value).toHaveLength(1);
    expect(log.value[0]).toMatchObject({ amountMinor: 200_00, thresholdMinor: 250_00, caseTotalMinor: 400_00, triggers: ['case_total'] });
  });

  it('asks for approval on the sixth of ten 100 credits against a 500 limit', async () => {
    const r = router({ credits: { limitWithoutApproval: 500, auditThreshold: 10_000 } });
    const { caseId } = await openCase(r);
    const states: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await credit(r, caseId, 100) as Ok<{ state: string }>;
      expect(res.ok).toBe(true);
      states.push(res.value.state);
    }
    expect(states).toEqual(['granted', 'granted', 'granted', 'granted', 'granted', ...Array(5).fill('needs_approval')]);
    const sixth = await credit(r, caseId, 100) as Ok<Record<string, unknown>>;
    expect(sixth.value).toMatchObject({ state: 'needs_approval', caseTotalMinor: 500_00, limitWithoutApprovalMinor: 500_00, exceeds: ['case_total'] });
    const got = await r.dispatch('cases:get', { caseId }, ctx) as Ok<{ events: { body: { type: string } }[] }>;
    expect(got.value.events.filter((e) => e.body.type === 'credit')).toHaveLength(5);
    // With a supervisor's approval the sixth lands, and an approved credit is always audited.
    const approved = await r.dispatch('cases:issueCredit', { caseId, amountMinor: 100_00, reason: 'outage', approvalGrant: 'grant-1' }, ctx);
    expect(approved).toMatchObject({ ok: true, value: { state: 'approved', audited: true, caseTotalMinor: 600_00 } });
    const log = await r.dispatch('cases:auditLog', { caseId }, ctx) as Ok<Record<string, unknown>[]>;
    expect(log.value[0]).toMatchObject({ approvedBy: 'sup-1', triggers: ['approval'] });
  });

  it('refuses credits on a closed case with a typed error, and writes nothing', async () => {
    const r = router();
    const { caseId } = await openCase(r);
    expect(await r.dispatch('cases:setDisposition', { caseId, disposition: { outcome: 'resolved_remote', summary: 'fixed' } }, ctx)).toMatchObject({ ok: true });
    expect(await credit(r, caseId, 10)).toMatchObject({ ok: false, error: { code: 'case_closed' } });
    expect(await r.dispatch('cases:issueCredit', { caseId, amountMinor: 900_00, reason: 'x', approvalGrant: 'grant-2' }, ctx)).toMatchObject({ ok: false, error: { code: 'case_closed' } });
    const got = await r.dispatch('cases:get', { caseId }, ctx) as Ok<{ events: { body: { type: string } }[] }>;
    expect(got.value.events.some((e) => e.body.type === 'credit')).toBe(false);
  });

  it('lets exactly the allowed number of 20 parallel credits land', async () => {
    const r = router({ credits: { limitWithoutApproval: 500, auditThreshold: 300 } });
    const { caseId } = await openCase(r);
    const results = await Promise.all(Array.from({ length: 20 }, () => credit(r, caseId, 100))) as Ok<{ state: string; audited?: boolean }>[];
    expect(results.every((x) => x.ok)).toBe(true);
    expect(results.filter((x) => x.value.state === 'granted')).toHaveLength(5);
    expect(results.filter((x) => x.value.state === 'needs_approval')).toHaveLength(15);
    // 400 and 500 are over the 300 threshold: two audit rows, whatever order the calls ran in.
    expect(results.filter((x) => x.value.audited)).toHaveLength(2);
    const log = await r.dispatch('cases:auditLog', { caseId }, ctx) as Ok<{ caseTotalMinor: number }[]>;
    expect(log.value.map((a) => a.caseTotalMinor).sort()).toEqual([400_00, 500_00]);
  });
});

describe('credit policy on running totals (per agent per day)', () => {
  it('counts one agent\'s credits across cases for the day', async () => {
    const r = router({ credits: { limitWithoutApproval: 500, auditThreshold: 450, perAgentDay: { limitWithoutApproval: 1000, auditThreshold: 700 } } });
    const a = await openCase(r);
    const b = await openCase(r);
    const c = await openCase(r);
    expect(await credit(r, a.caseId, 400)).toMatchObject({ ok: true, value: { state: 'granted', audited: false, agentDayTotalMinor: 400_00 } });
    expect(await credit(r, b.caseId, 400)).toMatchObject({ ok: true, value: { state: 'granted', audited: true, agentDayTotalMinor: 800_00 } });
    const third = await credit(r, c.caseId, 400);
    expect(third).toMatchObject({ ok: true, value: { state: 'needs_approval', agentDayTotalMinor: 800_00, exceeds: ['agent_day_total'] } });
    const log = await r.dispatch('cases:auditLog', {}, ctx) as Ok<Record<string, unknown>[]>;
    expect(log.value).toHaveLength(1);
    expect(log.value[0]).toMatchObject({ caseId: b.caseId, agentDayTotalMinor: 800_00, agentDayThresholdMinor: 700_00, triggers: ['agent_day_total'] });
  });

  it('does not count another agent\'s credits against this agent', async () => {
    const dir = tmp();
    const policy = { credits: { limitWithoutApproval: 500, auditThreshold: 500, perAgentDay: { limitWithoutApproval: 600, auditThreshold: 600 } } };
    const r1 = router(policy, dir, 'agent-1');
    const a = await openCase(r1);
    expect(await credit(r1, a.caseId, 400)).toMatchObject({ ok: true, value: { state: 'granted' } });
    await open.shift()!.close();
    const r2 = router(null, dir, 'agent-2');
    const b = await openCase(r2);
    expect(await credit(r2, b.caseId, 400)).toMatchObject({ ok: true, value: { state: 'granted', agentDayTotalMinor: 400_00 } });
    expect(await credit(r2, b.caseId, 300)).toMatchObject({ ok: true, value: { state: 'needs_approval', exceeds: ['case_total', 'agent_day_total'] } });
  });
});
