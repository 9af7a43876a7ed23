/**
 * The OCR channels through the real router and handlers (what both hosts
 * dispatch), with the real case service: bad input gets a typed error,
 * never a crash; a still stored as case evidence is read by its sha256, the
 * reading is recorded in the case (ocr_result event + bill-fields JSON) and
 * comes back in minor units with masked numbers; with no case the bytes
 * come along and nothing is recorded; dispute checks answer in en + ja.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrResultT, FindingT } from '../../../src-preload/contract/ocr';
import { createCaseService, type CaseServiceHandle } from '../../../src-main/cases/factory';
import { createOcrHandlers } from '../../../src-main/ocr/handlers';
import { createOcrService, type OcrService } from '../../../src-main/ocr/service';
import { createRouter, type Handlers } from '../../../src-main/router';
import { createLogger } from '../../../src-main/log';
import { corpus, corpusFile } from './corpus';

let ocr: OcrService;
let cases: CaseServiceHandle;
let dir: string;
let router: ReturnType<typeof createRouter>;
const ctx = { host: 'web' as const };
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
type Read = { reading: OcrResultT; findings: FindingT[]; savedToCase: number | null };

beforeAll(async () => {
  await corpus();
  dir = mkdtempSync(join(tmpdir(), 'ocr-channel-'));
  ocr = createOcrService({ size: 1 });
  cases = createCaseService({ dataDir: dir, agentId: 'agent-ocr', locale: 'en' }, {});
  router = createRouter(createOcrHandlers({ ocr, cases, auth: { user: () => null } }) as unknown as Handlers, { log: createLogger({ level: 'error', sink: () => {} }) });
}, 300_000);
afterAll(async () => { await ocr?.close(); await cases?.close(); rmSync(dir, { recursive: true, force: true }); });

let customers = 0;
async function newCase(expectedMonthlyMinor: number, currency = 'GBP'): Promise<number> {
  const svc = cases.get();
  const n = ++customers;
  const cu = await svc.createCustomer({ name: 'Bea', phones: [`+44 20 7946 00${10 + n}`], account: { number: `A-${n}`, plan: 'Basic', expectedMonthlyMinor, currency } });
  return (await svc.createCase({ customerId: cu.id, accountId: cu.accounts[0]!.id, subject: 'receipt' })).id;
}

describe('ocr:* channels', () => {
  it('refuses what is not an image with a typed error, and malformed input before any OCR', async () => {
    const junkBytes = Buffer.from('GIF89a is not supported here, nor is plain text pretending to be an image');
    const junk = { caseId: null, sha256: sha(junkBytes), imageBase64: junkBytes.toString('base64'), lang: 'eng' };
    expect(await router.dispatch('ocr:readStill', junk, ctx)).toMatchObject({ ok: false, error: { code: 'unsupported_image' } });
    expect(await router.dispatch('ocr:readStill', { ...junk, imageBase64: 'not base64 at all!' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await router.dispatch('ocr:readStill', { ...junk, lang: 'klingon' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    // The bytes must be the still the sha256 names.
    expect(await router.dispatch('ocr:readStill', { ...junk, sha256: 'a'.repeat(64) }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    // A case still is read from the case's evidence: no bytes alongside, and an unknown sha256 is not_found.
    const caseId = await newCase(1000);
    expect(await router.dispatch('ocr:readStill', { ...junk, caseId }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await router.dispatch('ocr:readStill', { caseId, sha256: 'b'.repeat(64), lang: 'eng' }, ctx)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await router.dispatch('ocr:readStill', { caseId: 999_999, sha256: 'b'.repeat(64), lang: 'eng' }, ctx)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // A PNG header claiming 100000 x 100000 pixels: refused before decoding (decompression bomb).
    const bomb = Buffer.alloc(64);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(bomb);
    bomb.writeUInt32BE(100_000, 16); bomb.writeUInt32BE(100_000, 20);
    expect(await router.dispatch('ocr:readStill', { caseId: null, sha256: sha(bomb), imageBase64: bomb.toString('base64') }, ctx)).toMatchObject({ ok: false, error: { code: 'image_too_large' } });
  });

  it('reads a case still by sha256: fields in minor units, card number masked, the reading recorded in the case', async () => {
    const bytes = readFileSync(corpusFile('gb-receipt--clean.png'));
    const caseId = await newCase(100);
    const svc = cases.get();
    const { sha256 } = await svc.putEvidence(caseId, 'image/png', bytes);
    const r = await router.dispatch('ocr:readStill', { caseId, sha256, lang: 'eng' }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value as Read;
    expect(v.savedToCase).toBe(caseId);
    expect(v.reading.sha256).toBe(sha256);
    expect(v.reading.width).toBe(880);
    expect(v.reading.fields.currency?.value).toBe('GBP');
    const total = v.reading.fields.total!;
    expect(total.box).toBeTruthy();
    expect(Number.isInteger(total.amountMinor)).toBe(true);
    expect(total.currency).toBe('GBP');
    expect(v.reading.lines.flatMap((l) => l.words).length).toBeGreaterThan(20);
    expect(v.reading.fields.maskedNumbers).toHaveLength(1);
    expect(v.reading.text).toMatch(/\*{4} \*{4} \*{4} \d{4}/);
    // The case account expects £1.00 a month: the receipt's total differs, in minor units with its still's sha256.
    const f = v.findings.find((x) => x.kind === 'differs_from_expected')!;
    expect(f.evidence[0]!.stillSha256).toBe(sha256);
    expect(f.amountMinor).toBe(total.amountMinor - 100);
    // Recorded as the renderer used to: an ocr_result event pointing at the still, and the fields as JSON evidence.
    const events = (await svc.getCase(caseId)).events.map((e) => e.body);
    const ocrEvent = events.find((e) => e.type === 'ocr_result');
    expect(ocrEvent).toMatchObject({ type: 'ocr_result', snapshotSha256: sha256, lang: 'eng', amounts: expect.arrayContaining([{ label: 'total', amountMinor: total.amountMinor, currency: 'GBP' }]) });
    expect(ocrEvent && ocrEvent.type === 'ocr_result' && ocrEvent.text).toMatch(/\*{4} \d{4}/);
    // And checked again later (the case's expected charge changed, say) over the readings main holds.
    const again = await router.dispatch('ocr:checkDisputes', { caseId, callStills: [sha256] }, ctx);
    expect(again).toMatchObject({ ok: true, value: [{ kind: 'differs_from_expected' }] });
  }, 120_000);

  it('with no case: reads the bytes sent along and records nothing', async () => {
    const bytes = readFileSync(corpusFile('gb-receipt--clean.png'));
    const r = await router.dispatch('ocr:readStill', { caseId: null, sha256: sha(bytes), imageBase64: bytes.toString('base64'), lang: 'eng' }, ctx);
    expect(r).toMatchObject({ ok: true, value: { savedToCase: null, reading: { sha256: sha(bytes), fields: { currency: { value: 'GBP' } } } } });
    // No expected charge without a case: no differs_from_expected finding.
    expect((r as { value: Read }).value.findings.filter((f) => f.kind === 'differs_from_expected')).toEqual([]);
  }, 120_000);

  it('ocr:checkDisputes validates its input', async () => {
    expect(await router.dispatch('ocr:checkDisputes', { caseId: null, callStills: [] }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await router.dispatch('ocr:checkDisputes', { caseId: null, callStills: ['x'] }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    // A still main never read has nothing to compare.
    expect(await router.dispatch('ocr:checkDisputes', { caseId: null, callStills: ['c'.repeat(64)] }, ctx)).toMatchObject({ ok: true, value: [] });
  });
});
