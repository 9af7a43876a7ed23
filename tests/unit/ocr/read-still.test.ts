/**
 * The one-call still read (src-main/ocr/read-still.ts) with a stand-in OCR
 * service and case store: where the bytes come from, what is recorded in the
 * case and in what shape, how findings span the call's stills against the
 * case account's expected charge, and which errors keep their type.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CaseEventBody } from '../../../src-preload/contract/cases';
import { extractBill } from '../../../src-main/bills/extract';
import { ImageError } from '../../../src-main/ocr/image-info';
import { createStillReader, type CaseRecords } from '../../../src-main/ocr/read-still';
import type { OcrService, RecognizeResult } from '../../../src-main/ocr/service';
import { ApiFailure } from '../../../src-main/router';
import { pageOf } from './page';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bill = (acct: string, inv: string, total: string) => `Bluewave Mobile
  Account number ${acct}
  Invoice number ${inv}
  Billing period 03/01/2026 - 03/31/2026
  Total amount due ${total}`;

/** "OCR" that reads the image bytes as the bill's text. */
function fakeOcr(seen: Array<{ maxPixels?: number }> = []): OcrService {
  return {
    async recognize(image, o = {}) {
      seen.push({ ...(o.maxPixels ? { maxPixels: o.maxPixels } : {}) });
      const text = Buffer.from(image).toString('utf8');
      if (!text.includes('Total')) throw new ImageError('unsupported_image', 'not an image');
      const page = pageOf(text);
      return { ...page, fields: extractBill(page), confidence: 0.9, sha256: sha(image), ms: 1, cardBoxes: [] } satisfies RecognizeResult;
    },
    warm: async () => ({ workers: 1, ms: 0 }),
    engine: null as never,
    ppocr: null as never,
    close: async () => {},
  };
}

/** The case service's typed failures carry a lowercase code, as CaseError does. */
const notFound = (what: string) => Object.assign(new Error(`${what} not found`), { code: 'not_found' });

/** A case store in memory, async like the worker-backed one will be. */
function fakeCases(expectedMonthlyMinor = 4500) {
  const evidence = new Map<string, { mime: string; bytes: Buffer }>();
  const events: CaseEventBody[] = [];
  const store: CaseRecords & { failWrites?: boolean } = {
    async getCaseEvidence(_caseId, s) { const e = evidence.get(s); if (!e) throw notFound(`evidence ${s}`); return e; },
    async putEvidence(_c, mime, bytes) { if (store.failWrites) throw Object.assign(new Error('database is busy'), { code: 'busy' }); evidence.set(sha(bytes), { mime, bytes }); return { sha256: sha(bytes) }; },
    async appendEvent(_c, e) { events.push(e); return {}; },
    async getCase(caseId) {
      if (caseId !== 7) throw notFound(`case ${caseId}`);
      return { case: { accountId: 2 }, customer: { accounts: [{ id: 1, number: 'X', currency: 'USD', expectedMonthlyMinor: 1 }, { id: 2, number: '7918 6397 07', currency: 'USD', expectedMonthlyMinor }] } };
    },
  };
  return { store, evidence, events, put: (text: string) => { const b = Buffer.from(text); evidence.set(sha(b), { mime: 'image/png', bytes: b }); return sha(b); } };
}

describe('ocr:readStill stores a new still only after its card numbers are painted over', () => {
  it('stores the redacted image (not the original), its snapshot and the reading naming it', async () => {
    const sharp = (await import('sharp')).default;
    const png = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#fff' } }).png().toBuffer();
    const c = fakeCases();
    const ocr: OcrService = {
      async recognize(image) {
        const page = pageOf(bill('7918 6397 07', 'INV-1', '$54.99'));
        return { ...page, fields: extractBill(page), confidence: 0.9, sha256: sha(image), ms: 1, cardBoxes: [{ x: 50, y: 60, w: 200, h: 30 }] };
      },
      warm: async () => ({ workers: 1, ms: 0 }), engine: null as never, ppocr: null as never, close: async () => {},
    };
    const reader = createStillReader({ ocr, cases: { get: () => c.store } });
    const r = await reader.read({ caseId: 7, sha256: sha(png), lang: 'eng', callStills: [], imageBase64: png.toString('base64'), store: { mime: 'image/png', width: 400, height: 200, caption: 'still from camera (full resolution)' } });
    expect(r.stored?.cardsCovered).toBe(1);
    expect(r.stored?.sha256).not.toBe(sha(png));
    // The case holds the redacted image only.
    expect(c.evidence.has(sha(png))).toBe(false);
    const kept = c.evidence.get(r.stored!.sha256)!;
    const { data, info } = await sharp(kept.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(data[(70 * info.width + 100) * info.channels]).toBe(0); // inside the card's box: painted black
    expect(data[(10 * info.width + 10) * info.channels]).toBe(255); // elsewhere: untouched
    expect(c.events[0]).toMatchObject({ type: 'snapshot', sha256: r.stored!.sha256, caption: expect.stringContaining('card number(s) covered') });
    expect(c.events[1]).toMatchObject({ type: 'ocr_result', snapshotSha256: r.stored!.sha256 });
  });
});

describe('ocr:readStill in main', () => {
  it('reads case evidence by sha256 with the pixel cap, records the reading as the renderer did, and returns minor units', async () => {
    const seen: Array<{ maxPixels?: number }> = [];
    const c = fakeCases();
    const reader = createStillReader({ ocr: fakeOcr(seen), cases: { get: () => c.store } });
    const s1 = c.put(bill('7918 6397 07', 'INV-1', '$54.99'));
    const r = await reader.read({ caseId: 7, sha256: s1, lang: 'eng', callStills: [] });
    expect(seen).toEqual([{ maxPixels: 3_200_000 }]);
    expect(r.savedToCase).toBe(7);
    expect(r.reading.fields.total).toMatchObject({ amountMinor: 5499, currency: 'USD' });
    // Recorded: the fields as JSON evidence (decimal, the stored format), then the ocr_result event in minor units.
    const doc = [...c.evidence.values()].find((e) => e.mime === 'application/json')!;
    expect(JSON.parse(doc.bytes.toString())).toMatchObject({ kind: 'bill-fields', stillSha256: s1, lang: 'eng', fields: { total: { value: 54.99 } } });
    expect(c.events).toEqual([expect.objectContaining({ type: 'ocr_result', snapshotSha256: s1, lang: 'eng', confidence: 90, amounts: [{ label: 'total', amountMinor: 5499, currency: 'USD' }] })]);
    // Against the case's own account (not the customer's first): $54.99 vs $45.00 expected.
    expect(r.findings).toEqual([expect.objectContaining({ kind: 'differs_from_expected', amountMinor: 999, currency: 'USD', evidence: [expect.objectContaining({ stillSha256: s1 })] })]);
  });

  it('checks disputes across the call\'s stills, by sha256; a still photographed twice is one bill', async () => {
    const c = fakeCases(5400);
    const reader = createStillReader({ ocr: fakeOcr(), cases: { get: () => c.store } });
    const a = c.put(bill('7918 6397 07', 'INV-1', '$54.00'));
    const b = c.put(bill('5521 0042 19', 'INV-2', '$54.00'));
    await reader.read({ caseId: 7, sha256: a, lang: 'eng', callStills: [] });
    const r = await reader.read({ caseId: 7, sha256: b, lang: 'eng', callStills: [a, a] });
    expect(r.findings.map((f) => f.kind)).toEqual(['split_account_invoices']);
    expect(r.findings[0]!.evidence.map((e) => e.stillSha256)).toEqual([a, b]);
    expect(r.findings[0]!.amountMinor).toBe(5400);
    // Later, over the same readings: the same answer without OCR.
    expect((await reader.check(7, [a, b])).map((f) => f.kind)).toEqual(['split_account_invoices']);
    expect(await reader.check(null, ['f'.repeat(64)])).toEqual([]);
  });

  it('with no case: reads the bytes sent along, checks they are the still named, records nothing', async () => {
    const c = fakeCases();
    const reader = createStillReader({ ocr: fakeOcr(), cases: { get: () => { throw new Error('the case cache is not needed without a case'); } } });
    const bytes = Buffer.from(bill('7918 6397 07', 'INV-1', '¥5,980'));
    const r = await reader.read({ caseId: null, sha256: sha(bytes), lang: 'jpn', callStills: [], imageBase64: bytes.toString('base64') });
    expect(r).toMatchObject({ savedToCase: null, reading: { lang: 'jpn', fields: { total: { amountMinor: 5980, currency: 'JPY' } } }, findings: [] });
    expect(c.events).toEqual([]);
    await expect(reader.read({ caseId: null, sha256: 'a'.repeat(64), lang: 'eng', callStills: [], imageBase64: bytes.toString('base64') })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('keeps error types: unknown case or still -> not_found, bad image -> its code; a failed record leaves the reading standing', async () => {
    const c = fakeCases();
    const reader = createStillReader({ ocr: fakeOcr(), cases: { get: () => c.store } });
    const e1 = await reader.read({ caseId: 7, sha256: 'a'.repeat(64), lang: 'eng', callStills: [] }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ApiFailure);
    expect(e1).toMatchObject({ code: 'not_found' });
    await expect(reader.read({ caseId: 8, sha256: 'a'.repeat(64), lang: 'eng', callStills: [] })).rejects.toMatchObject({ code: 'not_found' });
    await expect(reader.read({ caseId: 7, sha256: c.put('no amounts here'), lang: 'eng', callStills: [] })).rejects.toMatchObject({ code: 'unsupported_image' });
    const s = c.put(bill('7918 6397 07', 'INV-1', '$45.00'));
    c.store.failWrites = true;
    const r = await reader.read({ caseId: 7, sha256: s, lang: 'eng', callStills: [] });
    expect(r.savedToCase).toBeNull();
    expect(r.reading.fields.total?.amountMinor).toBe(4500);
  });
});
