/**
 * Bundle import and money: the exporting installation signs its bundles; an
 * importer accepts credit, approval and transfer events only from a bundle
 * whose exporter it can verify (a trusted key, or a fingerprint given out of
 * band), logs every attempt, and rebuilds the audit of imported credits
 * under its own policy instead of trusting the file's flags.
 */
import { cpSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import type { CaseError } from '../../../src-main/cases/errors';
import { sha256Hex } from '../../../src-main/cases/evidence';
import { CaseService } from '../../../src-main/cases/service';
import { keyFingerprint, signatureFor } from '../../../src-main/cases/bundle-signing';
import { useRawDb } from './raw-db';
import { useTempDirs } from './tmp';

const tmp = useTempDirs();
const raw = useRawDb();
const open: CaseService[] = [];
afterEach(async () => { for (const s of open.splice(0)) await s.close(); });

/** USD policy: credits above 250 per case are audited, above 500 need approval. */
function service(agentId: string, extra: Partial<ConstructorParameters<typeof CaseService>[0]> = {}) {
  const dataDir = tmp();
  writeFileSync(join(dataDir, 'policy.json'), JSON.stringify({ credits: { limitWithoutApproval: 500, auditThreshold: 250 } }));
  const s = new CaseService({ dataDir, agentId, policyPath: join(dataDir, 'policy.json'), ...extra });
  open.push(s);
  return s;
}

const codeOf = async (fn: () => unknown) => { try { await fn(); } catch (e) { return `${(e as CaseError).code}: ${(e as Error).message}`; } return 'no error'; };

/** A case with two 200 credits (the second audited: case total 400 > 250), an approved 300 credit and a transfer. */
async function exportedMoneyCase() {
  const src = service('agent-src');
  const cu = await src.createCustomer({ name: 'Ada', phones: ['+14155550142'], account: { number: 'US-1', plan: 'Fiber', expectedMonthlyMinor: 59_99, currency: 'USD' } });
  const c = await src.createCase({ customerId: cu.id, accountId: cu.accounts[0]!.id, subject: 'double charge' });
  await src.issueCredit({ caseId: c.id, amountMinor: 200_00, reason: 'first half' });
  await src.issueCredit({ caseId: c.id, amountMinor: 200_00, reason: 'second half' });
  await src.issueCredit({ caseId: c.id, amountMinor: 300_00, reason: 'approved goodwill' }, { approverId: 'sup-1', approverName: 'Sam Supervisor', nonce: 'n'.repeat(22), grantId: 'grant-1' });
  await src.transfer(c.id, 'agent-billing', 'billing specialist');
  const out = await src.exportBundle(c.id);
  return { src, c, out, dir: join(src.opts.dataDir, 'bundles', out.bundleName) };
}

function deliver(dir: string, to: CaseService, name: string): string {
  const target = join(to.opts.dataDir, 'bundles', name);
  cpSync(dir, target, { recursive: true });
  return target;
}

/** Rewrite case.json and its manifest entry consistently (what a forger would do); returns the new manifest sha256. */
function rewrite(dir: string, edit: (caseJson: { events: Array<{ body: Record<string, unknown> }> }) => void): string {
  const caseJson = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  edit(caseJson);
  const text = JSON.stringify(caseJson, null, 1);
  writeFileSync(join(dir, 'case.json'), text);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  manifest.files = manifest.files.map((f: { path: string }) => (f.path === 'case.json' ? { path: 'case.json', sha256: sha256Hex(text), bytes: Buffer.byteLength(text) } : f));
  const manifestText = JSON.stringify(manifest, null, 1);
  writeFileSync(join(dir, 'manifest.json'), manifestText);
  return sha256Hex(manifestText);
}

const casesIn = (s: CaseService) => raw(s.dbFile).prepare('SELECT count(*) AS n FROM cases').get();
const importLog = (s: CaseService) => raw(s.dbFile).prepare('SELECT outcome, error_code, verified_by, credit_events, transfer_events, signer_fingerprint FROM bundle_imports ORDER BY id').all();

describe('bundle import verifies who exported it before accepting money events', () => {
  it('refuses a signed bundle with credits from a key it was not told to trust, and logs the refusal', async () => {
    const { out, dir } = await exportedMoneyCase();
    const dst = service('agent-dst');
    deliver(dir, dst, out.bundleName);
    const res = await codeOf(() => dst.importBundle(out.bundleName));
    expect(res).toMatch(/^bundle_unverified: .*3 credit and 1 transfer/);
    await dst.ready;
    expect(casesIn(dst)).toEqual({ n: 0 });
    expect(importLog(dst)).toEqual([{ outcome: 'refused', error_code: 'bundle_unverified', verified_by: 'none', credit_events: 3, transfer_events: 1, signer_fingerprint: out.keyFingerprint }]);
    expect(await dst.bundleImports()).toMatchObject([{ outcome: 'refused', errorCode: 'bundle_unverified', bundleName: out.bundleName, manifestSha256: out.manifestSha256 }]);
  });

  it('imports it with the exporter\'s key fingerprint or the bundle\'s fingerprint, and from a trusted key', async () => {
    const { out, dir, src } = await exportedMoneyCase();
    expect(out.keyFingerprint).toBe(src.bundleKeyFingerprint());
    // The private key stays readable by the workstation's user only.
    expect(statSync(join(src.opts.dataDir, 'bundle-signing-key.pem')).mode & 0o777).toBe(0o600);
    const byKey = service('agent-a');
    deliver(dir, byKey, out.bundleName);
    expect(await byKey.importBundle(out.bundleName, out.keyFingerprint)).toMatchObject({ events: 5, verifiedBy: 'fingerprint', signerFingerprint: out.keyFingerprint });
    const byManifest = service('agent-b');
    deliver(dir, byManifest, out.bundleName);
    expect(await byManifest.importBundle(out.bundleName, out.manifestSha256)).toMatchObject({ verifiedBy: 'fingerprint' });
    const trusting = service('agent-c', { trustedBundleKeys: [out.keyFingerprint] });
    deliver(dir, trusting, out.bundleName);
    expect(await trusting.importBundle(out.bundleName)).toMatchObject({ verifiedBy: 'trusted_key' });
    expect(importLog(trusting)).toMatchObject([{ outcome: 'imported', verified_by: 'trusted_key', credit_events: 3, transfer_events: 1 }]);
  });

  it('refuses a fingerprint that matches neither the bundle nor its signer', async () => {
    const { out, dir } = await exportedMoneyCase();
    const dst = service('agent-dst');
    deliver(dir, dst, out.bundleName);
    expect(await codeOf(() => dst.importBundle(out.bundleName, 'f'.repeat(64)))).toMatch(/^bundle_unverified: .*matches neither/);
    expect(casesIn(dst)).toEqual({ n: 0 });
  });

  it('refuses a bundle whose credits were raised after signing, re-signed or not', async () => {
    const { out, dir } = await exportedMoneyCase();
    // Raised and left with the exporter's signature: the signature no longer covers the manifest.
    const stale = service('agent-dst');
    const staleDir = deliver(dir, stale, out.bundleName);
    rewrite(staleDir, (cj) => { for (const e of cj.events) if (e.body.type === 'credit') e.body.amountMinor = 5_000_00; });
    expect(await codeOf(() => stale.importBundle(out.bundleName, out.keyFingerprint))).toMatch(/^bundle_tampered: .*another manifest/);
    // Raised and re-signed with the forger's own key: verifies as a signature, but not as the exporter's.
    const forged = service('agent-dst2');
    const forgedDir = deliver(dir, forged, out.bundleName);
    const manifestSha = rewrite(forgedDir, (cj) => { for (const e of cj.events) if (e.body.type === 'credit') e.body.amountMinor = 5_000_00; });
    const forger = generateKeyPairSync('ed25519');
    const der = forger.publicKey.export({ type: 'spki', format: 'der' });
    const installId = JSON.parse(readFileSync(join(forgedDir, 'case.json'), 'utf8')).origin.installId;
    writeFileSync(join(forgedDir, 'signature.json'), JSON.stringify(signatureFor({ privateKey: forger.privateKey, publicKeyDer: der, fingerprint: keyFingerprint(der) }, manifestSha, installId)));
    expect(await codeOf(() => forged.importBundle(out.bundleName, out.keyFingerprint))).toMatch(/^bundle_unverified/);
    expect(await codeOf(() => forged.importBundle(out.bundleName))).toMatch(/^bundle_unverified/);
    expect(casesIn(forged)).toEqual({ n: 0 });
    expect(importLog(forged).map((r) => (r as { error_code: string }).error_code)).toEqual(['bundle_unverified', 'bundle_unverified']);
  });

  it('still imports an unsigned bundle without money events (notes, stills), logged as unverified', async () => {
    const src = service('agent-src');
    const cu = await src.createCustomer({ name: 'Bo', phones: ['+14155550143'] });
    const c = await src.createCase({ customerId: cu.id, subject: 'router lights' });
    await src.addNote(c.id, 'blinking amber');
    const out = await src.exportBundle(c.id);
    const dst = service('agent-dst');
    const target = deliver(join(src.opts.dataDir, 'bundles', out.bundleName), dst, out.bundleName);
    rmSync(join(target, 'signature.json'));
    expect(await dst.importBundle(out.bundleName)).toMatchObject({ events: 2, verifiedBy: 'none', signerFingerprint: null });
    expect(importLog(dst)).toMatchObject([{ outcome: 'imported', verified_by: 'none', credit_events: 0 }]);
  });
});

describe('bundle import rebuilds the audit trail', () => {
  it('recomputes running totals and audit flags under the importer\'s policy, whatever the file says', async () => {
    const { out, dir } = await exportedMoneyCase();
    const dst = service('agent-dst');
    const target = deliver(dir, dst, out.bundleName);
    // The file claims no credit was ever audited; the importer verifies this exact bundle by its new fingerprint.
    rmSync(join(target, 'signature.json'));
    const manifestSha = rewrite(target, (cj) => { for (const e of cj.events) if (e.body.type === 'credit') e.body.audited = false; });
    const r = await dst.importBundle(out.bundleName, manifestSha);
    const credits = (await dst.getCase(r.caseId)).events.filter((e) => e.body.type === 'credit').reverse();
    expect(credits.map((e) => (e.body as { audited: boolean }).audited)).toEqual([false, true, true]);
    const log = (await dst.auditLog(r.caseId)).reverse();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ amountMinor: 200_00, caseTotalMinor: 400_00, thresholdMinor: 250_00, triggers: ['imported', 'case_total'], agentId: 'agent-src', importedFrom: expect.stringMatching(/:\d+$/) });
    expect(log[1]).toMatchObject({ amountMinor: 300_00, caseTotalMinor: 700_00, approvedBy: 'sup-1', approvalGrantId: 'grant-1', triggers: ['imported', 'approval', 'case_total'] });
    // The imported credits count in the case's running total here: the next credit needs approval.
    expect(await dst.issueCredit({ caseId: r.caseId, amountMinor: 1_00, reason: 'one more' })).toMatchObject({ state: 'needs_approval', caseTotalMinor: 700_00 });
  });

  it('audits imported credits against a stricter importer policy even where the exporter did not', async () => {
    const { out, dir } = await exportedMoneyCase();
    const dataDir = tmp();
    writeFileSync(join(dataDir, 'policy.json'), JSON.stringify({ credits: { limitWithoutApproval: 500, auditThreshold: 100 } }));
    const dst = new CaseService({ dataDir, agentId: 'agent-dst', policyPath: join(dataDir, 'policy.json') });
    open.push(dst);
    deliver(dir, dst, out.bundleName);
    const r = await dst.importBundle(out.bundleName, out.keyFingerprint);
    expect((await dst.auditLog(r.caseId)).map((a) => a.caseTotalMinor).sort()).toEqual([200_00, 400_00, 700_00]);
  });
});
