/**
 * The original of a redacted still: kept sealed only while policy says so,
 * never in the case's evidence (so never in a bundle or the CRM), and shown
 * only to a signed-in supervisor, after the look is written to the case with
 * its reason. An agent is refused; a sealed file moved to another case does
 * not open. Real OCR, real case cache, real files.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedInUser } from '../../../src-preload/contract/auth';
import { createCaseService, type CaseServiceHandle } from '../../../src-main/cases/factory';
import { createLogger } from '../../../src-main/log';
import { loadOrCreateKey } from '../../../src-main/ocr/originals/key';
import { SealedOriginals } from '../../../src-main/ocr/originals/sealed-originals';
import { createOcrHandlers } from '../../../src-main/ocr/handlers';
import { createOcrService, type OcrService } from '../../../src-main/ocr/service';
import { createRouter, type Handlers } from '../../../src-main/router';
import { cardStatementPng } from './card-statement';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const ctx = { host: 'web' as const };
const AGENT: SignedInUser = { sub: 'agent-1', name: 'Ada Agent', roles: ['agent'] };
const SUPERVISOR: SignedInUser = { sub: 'sup-1', name: 'Sam Supervisor', roles: ['supervisor'] };

let dir: string;
let ocr: OcrService;
let cases: CaseServiceHandle;
let router: ReturnType<typeof createRouter>;
let keep = true;
let user: SignedInUser | null = AGENT;
let statement: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ocr-original-'));
  statement = await cardStatementPng();
  ocr = createOcrService({ size: 1 });
  cases = createCaseService({ dataDir: dir, agentId: 'agent-1', locale: 'en' }, {});
  const store = new SealedOriginals(join(dir, 'originals'), () => loadOrCreateKey(join(dir, 'originals.key'), null));
  router = createRouter(createOcrHandlers({ ocr, cases, originals: { keep: () => keep, store }, auth: { user: () => user } }) as unknown as Handlers, { log: createLogger({ level: 'error', sink: () => {} }) });
}, 120_000);
afterAll(async () => { await ocr?.close(); await cases?.close(); rmSync(dir, { recursive: true, force: true }); });

let n = 0;
async function newCase(): Promise<number> {
  const svc = cases.get();
  const cu = await svc.createCustomer({ name: 'Bea', phones: [`+44 20 7946 01${10 + ++n}`], account: { number: `A-${n}`, plan: 'Basic', expectedMonthlyMinor: 1000, currency: 'USD' } });
  return (await svc.createCase({ customerId: cu.id, accountId: cu.accounts[0]!.id, subject: 'statement' })).id;
}
async function readAndStore(caseId: number) {
  const r = await router.dispatch('ocr:readStill', {
    caseId, sha256: sha(statement), lang: 'eng', imageBase64: statement.toString('base64'),
    store: { mime: 'image/png', width: 1400, height: 680, caption: 'statement' },
  }, ctx);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return (r.value as { stored: { sha256: string; cardsCovered: number; originalKept: boolean } }).stored;
}

describe('the original of a redacted still', () => {
  it('is kept sealed where policy allows, outside the evidence; only a supervisor sees it, and the look is audited first', async () => {
    const caseId = await newCase();
    user = AGENT;
    const stored = await readAndStore(caseId);
    expect(stored).toMatchObject({ cardsCovered: 2, originalKept: true });
    expect(stored.sha256).not.toBe(sha(statement));
    const svc = cases.get();
    const snap = (await svc.history(caseId)).find((e) => e.body.type === 'snapshot');
    expect(snap?.body).toMatchObject({ sha256: stored.sha256, cardsCovered: 2, originalKept: true });
    // Not evidence: the case store cannot serve it, and a bundle of the case does not carry it.
    await expect(svc.getEvidence(sha(statement))).rejects.toMatchObject({ code: 'not_found' });
    const bundle = await svc.exportBundle(caseId);
    expect(bundle.files).toBeGreaterThan(1);
    // Nowhere in the data folder outside the sealed store (evidence files, bundles) is the original.
    const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => !f.startsWith('originals') && !f.endsWith('.key'));
    expect(files.some((f) => f.includes(stored.sha256))).toBe(true);
    expect(files.some((f) => f.includes(sha(statement)))).toBe(false);
    // On disk it is sealed: the file is not the PNG.
    const sealed = join(dir, 'originals', String(caseId), `${stored.sha256}.sealed`);
    expect(existsSync(sealed)).toBe(true);
    expect(readFileSync(sealed).includes(statement.subarray(0, 64))).toBe(false);

    // An agent is refused, and nothing is written.
    const asAgent = await router.dispatch('ocr:showOriginal', { caseId, sha256: stored.sha256, reason: 'customer disputes the card' }, ctx);
    expect(asAgent).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    user = null;
    expect(await router.dispatch('ocr:showOriginal', { caseId, sha256: stored.sha256, reason: 'customer disputes the card' }, ctx)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect((await svc.history(caseId)).some((e) => e.body.type === 'original_viewed')).toBe(false);

    // A supervisor must say why.
    user = SUPERVISOR;
    expect(await router.dispatch('ocr:showOriginal', { caseId, sha256: stored.sha256, reason: ' ' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const shown = await router.dispatch('ocr:showOriginal', { caseId, sha256: stored.sha256, reason: 'chargeback review #88' }, ctx);
    expect(shown.ok).toBe(true);
    if (!shown.ok) return;
    const v = shown.value as { mime: string; imageBase64: string; auditSeq: number };
    expect(v.mime).toBe('image/png');
    expect(sha(Buffer.from(v.imageBase64, 'base64'))).toBe(sha(statement));
    const audit = (await svc.history(caseId)).find((e) => e.body.type === 'original_viewed');
    expect(audit?.seq).toBe(v.auditSeq);
    expect(audit?.body).toEqual({ type: 'original_viewed', snapshotSha256: stored.sha256, viewerName: 'Sam Supervisor', reason: 'chargeback review #88' });

    // Another case's sha256, or a sealed file moved under another case, does not open.
    const other = await newCase();
    expect(await router.dispatch('ocr:showOriginal', { caseId: other, sha256: stored.sha256, reason: 'looking around' }, ctx)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    cpSync(sealed, join(dir, 'originals', String(other), `${stored.sha256}.sealed`));
    expect(await router.dispatch('ocr:showOriginal', { caseId: other, sha256: stored.sha256, reason: 'looking around' }, ctx)).toMatchObject({ ok: false, error: { code: 'corrupt' } });
    expect((await svc.history(other)).some((e) => e.body.type === 'original_viewed')).toBe(false);
  }, 180_000);

  it('where policy does not keep originals, none is kept and there is nothing to show', async () => {
    keep = false;
    user = AGENT;
    const caseId = await newCase();
    const stored = await readAndStore(caseId);
    expect(stored).toMatchObject({ cardsCovered: 2, originalKept: false });
    expect(existsSync(join(dir, 'originals', String(caseId)))).toBe(false);
    user = SUPERVISOR;
    expect(await router.dispatch('ocr:showOriginal', { caseId, sha256: stored.sha256, reason: 'chargeback review' }, ctx)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  }, 180_000);
});
