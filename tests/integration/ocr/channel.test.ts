/**
 * The OCR channels through the real router and handlers (what both hosts
 * dispatch): bad input gets a typed error, never a crash; a real bill comes
 * back with masked numbers and fields; dispute checks answer in en + ja.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrHandlers } from '../../../src-main/ocr/handlers';
import { createOcrService, type OcrService } from '../../../src-main/ocr/service';
import { createRouter, type Handlers } from '../../../src-main/router';
import { createLogger } from '../../../src-main/log';
import { corpus, corpusFile } from './corpus';

let ocr: OcrService;
let router: ReturnType<typeof createRouter>;
const ctx = { host: 'web' as const };

beforeAll(async () => {
  await corpus();
  ocr = createOcrService({ size: 1 });
  router = createRouter(createOcrHandlers({ ocr }) as unknown as Handlers, { log: createLogger({ level: 'error', sink: () => {} }) });
}, 300_000);
afterAll(async () => { await ocr?.close(); });

describe('ocr:* channels', () => {
  it('refuses what is not an image with a typed error, and malformed input before any OCR', async () => {
    const junk = Buffer.from('GIF89a is not supported here, nor is plain text pretending to be an image').toString('base64');
    expect(await router.dispatch('ocr:recognize', { imageBase64: junk, lang: 'eng' }, ctx)).toMatchObject({ ok: false, error: { code: 'unsupported_image' } });
    expect(await router.dispatch('ocr:recognize', { imageBase64: 'not base64 at all!', lang: 'eng' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await router.dispatch('ocr:recognize', { imageBase64: 'AAAA', lang: 'klingon' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    // A PNG header claiming 100000 x 100000 pixels: refused before decoding (decompression bomb).
    const bomb = Buffer.alloc(64);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(bomb);
    bomb.writeUInt32BE(100_000, 16); bomb.writeUInt32BE(100_000, 20);
    expect(await router.dispatch('ocr:recognize', { imageBase64: bomb.toString('base64') }, ctx)).toMatchObject({ ok: false, error: { code: 'image_too_large' } });
  });

  it('reads a receipt: words with boxes, fields, card number masked, sha256 of the bytes', async () => {
    const bytes = readFileSync(corpusFile('gb-receipt--clean.png'));
    const r = await router.dispatch('ocr:recognize', { imageBase64: bytes.toString('base64'), lang: 'eng' }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value as import('../../../src-preload/contract/ocr').OcrResultT;
    expect(v.width).toBe(880);
    expect(v.fields.currency?.value).toBe('GBP');
    expect(v.fields.total?.box).toBeTruthy();
    expect(v.lines.flatMap((l) => l.words).length).toBeGreaterThan(20);
    expect(v.fields.maskedNumbers).toHaveLength(1);
    expect(v.text).toMatch(/\*{4} \*{4} \*{4} \d{4}/);
    expect(v.sha256).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);

  it('ocr:checkDisputes validates its input and answers with findings', async () => {
    expect(await router.dispatch('ocr:checkDisputes', { bills: [] }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const fields = (acct: string, inv: string) => ({
      accountNumber: { value: acct, confidence: 0.9, box: { x: 1, y: 1, w: 5, h: 5 }, source: 'Account' },
      invoiceNumber: { value: inv, confidence: 0.9, box: null, source: 'Invoice' },
      periodStart: { value: '2026-03-01', confidence: 0.9, box: null, source: 'Period' },
      periodEnd: { value: '2026-03-31', confidence: 0.9, box: null, source: 'Period' },
      total: { value: 54, confidence: 0.9, box: { x: 1, y: 9, w: 5, h: 5 }, source: 'Total' },
      lineItems: [], maskedNumbers: [],
    });
    const r = await router.dispatch('ocr:checkDisputes', { bills: [{ stillId: 'a', fields: fields('111', 'I-1') }, { stillId: 'b', fields: fields('222', 'I-2') }] }, ctx);
    expect(r).toMatchObject({ ok: true, value: [{ kind: 'split_account_invoices' }] });
  });
});
