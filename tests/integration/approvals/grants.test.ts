/**
 * `cases:issueCredit` with a supervisor's approval, through the router (the
 * contract's schema and typed errors) onto a real SQLite case cache: only a
 * grant the signaling server signed for exactly this credit is accepted, and
 * only once. A typed name, a forged, mismatched, expired or replayed grant is
 * refused with a typed error and writes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalJWKSet } from 'jose';
import { createGrantSigner, type GrantSigner } from '../../../signaling-server/approvals/grant-signer';
import { CaseService } from '../../../src-main/cases/service';
import { createCaseHandlers, type GrantCheck } from '../../../src-main/cases/handlers';
import { ApprovalError, verifyGrant } from '../../../src-main/approvals/grant';
import { ApiFailure, createRouter, type Handlers } from '../../../src-main/router';
import { createLogger } from '../../../src-main/log';

const ISSUER = 'http://127.0.0.1:7800';
const dirs: string[] = [];
const services: CaseService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup(agentId = 'alice') {
  const dir = mkdtempSync(join(tmpdir(), 'va-grants-'));
  dirs.push(dir);
  const svc = new CaseService({ dataDir: dir, agentId });
  services.push(svc);
  const signer = await createGrantSigner(ISSUER);
  const keys = createLocalJWKSet(signer.jwks);
  const checkGrant: GrantCheck = (grant, want) => verifyGrant(grant, want, { issuer: ISSUER, keys }).catch((err: unknown) => {
    if (err instanceof ApprovalError) throw new ApiFailure(err.code, err.message);
    throw err;
  });
  const router = createRouter(createCaseHandlers({ cases: { get: () => svc }, checkGrant }) as unknown as Handlers, { log: createLogger({ level: 'error', sink: () => {} }) });
  const cu = await svc.createCustomer({ name: 'Grace Hopper', phones: ['+1 415 555 2671'], account: { number: 'ACC-1', plan: 'Fiber', expectedMonthlyMinor: 69_99, currency: 'USD' } });
  const c = await svc.createCase({ customerId: cu.id, accountId: cu.accounts[0]!.id, subject: 'Outage' });
  const credit = (input: Record<string, unknown>) => router.dispatch('cases:issueCredit', { caseId: c.id, amountMinor: 600_00, reason: 'outage week', ...input }, { host: 'web' });
  const credits = async () => (await svc.history(c.id)).filter((e) => e.body.type === 'credit');
  return { svc, signer, c, credit, credits, installId: await svc.installId() };
}

const grantFor = (signer: GrantSigner, o: { caseId: number; amt?: number; cur?: string; sub?: string; ins?: string; nonce?: string; jti?: string; nowMs?: number; ttlSec?: number }) =>
  signer.sign({
    sub: o.sub ?? 'alice', jti: o.jti ?? `g-${Math.random().toString(36).slice(2)}`, nonce: o.nonce ?? `n${Math.random().toString(36).slice(2)}abcdefghijklmnopqrstuv`.slice(0, 24),
    rid: 'apr-1', case: o.caseId, ...(o.ins ? { ins: o.ins } : {}), amt: o.amt ?? 600_00, cur: o.cur ?? 'USD', approver: { sub: 'sam', name: 'Sam Supervisor' },
  }, { nowMs: o.nowMs ?? Date.now(), ttlSec: o.ttlSec ?? 300 });

describe('approved credits need a grant the server signed for exactly this credit', () => {
  it('without approval a 600 credit above the 500 limit needs approval; a typed supervisor name is refused with approval_invalid', async () => {
    const t = await setup();
    expect(await t.credit({})).toMatchObject({ ok: true, value: { state: 'needs_approval' } });
    expect(await t.credit({ approvedBy: 'sam' })).toMatchObject({ ok: false, error: { code: 'approval_invalid' } });
    expect(await t.credit({ approvalGrant: 'Sam Supervisor' })).toMatchObject({ ok: false, error: { code: 'approval_invalid' } });
    expect(await t.credits()).toHaveLength(0);
  });

  it('a good grant writes the approved, audited credit naming the supervisor; replaying it is refused with approval_replayed', async () => {
    const t = await setup();
    const grant = await grantFor(t.signer, { caseId: t.c.id, ins: t.installId });
    const ok = await t.credit({ approvalGrant: grant });
    expect(ok).toMatchObject({ ok: true, value: { state: 'approved', audited: true, event: { agentId: 'alice', body: { approvedBy: 'sam', approverName: 'Sam Supervisor' } } } });
    expect((await t.svc.auditLog(t.c.id)).map((a) => [a.amountMinor, a.approvedBy])).toEqual([[600_00, 'sam']]);
    expect(await t.credit({ approvalGrant: grant })).toMatchObject({ ok: false, error: { code: 'approval_replayed' } });
    expect(await t.credits()).toHaveLength(1);
  });

  it('two concurrent calls with one grant: exactly one credit', async () => {
    const t = await setup();
    const grant = await grantFor(t.signer, { caseId: t.c.id });
    const rs = await Promise.all([t.credit({ approvalGrant: grant }), t.credit({ approvalGrant: grant }), t.credit({ approvalGrant: grant })]);
    expect(rs.filter((r) => r.ok)).toHaveLength(1);
    expect(rs.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(['approval_replayed', 'approval_replayed']);
    expect(await t.credits()).toHaveLength(1);
  });

  it('a grant for another amount, case, currency, agent or workstation is refused with approval_mismatch', async () => {
    const t = await setup();
    const other = await t.svc.createCase({ customerId: (await t.svc.getCase(t.c.id)).customer.id, subject: 'other' });
    for (const g of [
      await grantFor(t.signer, { caseId: t.c.id, amt: 500_01 }),
      await grantFor(t.signer, { caseId: other.id }),
      await grantFor(t.signer, { caseId: t.c.id, cur: 'EUR' }),
      await grantFor(t.signer, { caseId: t.c.id, sub: 'bob' }),
      await grantFor(t.signer, { caseId: t.c.id, ins: 'another-install' }),
    ]) expect(await t.credit({ approvalGrant: g })).toMatchObject({ ok: false, error: { code: 'approval_mismatch' } });
    expect(await t.credits()).toHaveLength(0);
  });

  it('an expired grant is refused with approval_expired', async () => {
    const t = await setup();
    const g = await grantFor(t.signer, { caseId: t.c.id, nowMs: Date.now() - 10 * 60_000, ttlSec: 300 });
    expect(await t.credit({ approvalGrant: g })).toMatchObject({ ok: false, error: { code: 'approval_expired' } });
    expect(await t.credits()).toHaveLength(0);
  });

  it('a grant signed by another key (forged), or altered after signing, is refused with approval_invalid', async () => {
    const t = await setup();
    const forger = await createGrantSigner(ISSUER);
    expect(await t.credit({ approvalGrant: await grantFor(forger, { caseId: t.c.id }) })).toMatchObject({ ok: false, error: { code: 'approval_invalid' } });
    const good = await grantFor(t.signer, { caseId: t.c.id, amt: 100_00 });
    const [h, p, s] = good.split('.') as [string, string, string];
    const body = JSON.parse(Buffer.from(p, 'base64url').toString());
    body.amt = 600_00;
    const altered = `${h}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${s}`;
    expect(await t.credit({ approvalGrant: altered })).toMatchObject({ ok: false, error: { code: 'approval_invalid' } });
    // another issuer's grant (a second signaling deployment) is not ours either
    const elsewhere = await createGrantSigner('https://other.example.com');
    expect(await t.credit({ approvalGrant: await grantFor(elsewhere, { caseId: t.c.id }) })).toMatchObject({ ok: false, error: { code: 'approval_invalid' } });
    expect(await t.credits()).toHaveLength(0);
  });
});
