/**
 * 'ocr:readStill' and 'ocr:checkDisputes' behind one object: load a still
 * by sha256 (case evidence, or the bytes sent along when no case is open),
 * OCR it, record the reading in the case (bill-fields JSON evidence + an
 * ocr_result event, the shape the renderer used to write), and check
 * disputes across the call's stills against the case account's expected
 * monthly charge. The renderer keeps only UI state; main holds the readings.
 */
import { createHash } from 'node:crypto';
import { CaseEventBody } from '../../src-preload/contract/cases';
import { isCurrencyCode, toMinor } from '../../src-preload/contract/money';
import type { FindingT, OcrLang, OcrResultT } from '../../src-preload/contract/ocr';
import { checkDisputes, type ExpectedCharge } from '../bills/disputes';
import { expectedFromMinor, fieldsInMinorUnits, findingsInMinorUnits } from '../bills/minor-units';
import type { Logger } from '../log';
import { ApiFailure } from '../router';
import { ImageError } from './image-info';
import { Readings } from './readings';
import { redactImage } from './redact';
import type { SealedOriginals } from './originals/sealed-originals';
import { MAX_OCR_PIXELS, type OcrService, type RecognizeResult } from './service';

interface CaseAccount { id: number; number: string; currency: string; expectedMonthlyMinor: number }

/** What the reader needs of the case service (whose SQL runs in worker threads). */
export interface CaseRecords {
  /** Only evidence linked to the case: a still of another customer's case is not_found. */
  getCaseEvidence(caseId: number, sha256: string): Promise<{ mime: string; bytes: Uint8Array }>;
  putEvidence(caseId: number, mime: string, bytes: Buffer): Promise<{ sha256: string }>;
  appendEvent(caseId: number, event: CaseEventBody): Promise<unknown>;
  getCase(caseId: number): Promise<{ case: { accountId: number | null }; customer: { accounts: CaseAccount[] } }>;
}

export interface StoreStill { mime: string; width: number; height: number; caption: string }
export type ReadStillInput =
  | { caseId: number; sha256: string; lang: OcrLang; callStills: string[] }
  | { caseId: number; sha256: string; lang: OcrLang; callStills: string[]; imageBase64: string; store: StoreStill }
  | { caseId: null; sha256: string; lang: OcrLang; callStills: string[]; imageBase64: string };

export interface StillReader {
  read(input: ReadStillInput): Promise<{ reading: OcrResultT; findings: FindingT[]; savedToCase: number | null; stored?: { sha256: string; cardsCovered: number; originalKept: boolean } }>;
  check(caseId: number | null, callStills: string[]): Promise<FindingT[]>;
}

/** A typed failure from any layer (ImageError, the case service's errors, busy/disk_full) keeps its code; the rest is 'internal'. */
function typed(err: unknown): unknown {
  if (err instanceof ApiFailure) return err;
  if (err instanceof ImageError) return new ApiFailure(err.code, err.message);
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error && typeof code === 'string' && /^[a-z][a-z_]*$/.test(code)) return new ApiFailure(code, err.message);
  return err;
}

/** Where policy keeps the sealed originals of redacted stills: `keep()` is read at each store (policy may change). */
export interface OriginalsKeeping { keep(): boolean; store: SealedOriginals }

/** Readings are kept per case (null: read with no case open), so one case's dispute checks never see another case's bills. */
const readingKey = (caseId: number | null, sha256: string) => `${caseId ?? '-'}:${sha256}`;

export function createStillReader(deps: { ocr: OcrService; cases: { get(): CaseRecords }; log?: Logger; readings?: Readings; originals?: OriginalsKeeping | null }): StillReader {
  const readings = deps.readings ?? new Readings();
  const cases = () => deps.cases.get();

  /** The case account's expected monthly charge (its own account, else the customer's first); not_found for no such case. */
  async function expectedFor(caseId: number | null): Promise<ExpectedCharge | null> {
    if (caseId === null) return null;
    const view = await cases().getCase(caseId);
    const acct = view.customer.accounts.find((a) => a.id === view.case.accountId) ?? view.customer.accounts[0];
    return acct ? expectedFromMinor(acct) : null;
  }

  async function check(caseId: number | null, expected: ExpectedCharge | null, callStills: string[]): Promise<FindingT[]> {
    // A still photographed twice is one bill; a still main has no reading of (never read here) cannot be compared.
    const bills = [...new Set(callStills)].flatMap((sha) => { const fields = readings.get(readingKey(caseId, sha)); return fields ? [{ stillId: sha, fields }] : []; });
    if (!bills.length) return [];
    return findingsInMinorUnits(checkDisputes(bills, expected));
  }

  async function record(caseId: number, r: RecognizeResult, lang: OcrLang, stillSha256 = r.sha256): Promise<void> {
    const c = cases();
    const f = r.fields;
    const cur = f.currency?.value;
    const amounts = isCurrencyCode(cur)
      ? (['total', 'subtotal', 'tax'] as const).flatMap((k) => (f[k] ? [{ label: k, amountMinor: toMinor(f[k]!.value, cur), currency: cur }] : [])).filter((a) => Math.abs(a.amountMinor) <= 1e9)
      : undefined;
    // The stored document keeps the extractor's decimal fields, as the renderer wrote it before: bundles already hold this format.
    const doc = JSON.stringify({ kind: 'bill-fields', stillSha256, lang, fields: f, lines: r.lines.map((l) => ({ text: l.text, box: l.box, confidence: l.confidence })) });
    await c.putEvidence(caseId, 'application/json', Buffer.from(doc));
    // Checked against the event schema here, as the router checked the renderer's appendEvent: a stored event outside it would break cases:get.
    const event = CaseEventBody.parse({ type: 'ocr_result', snapshotSha256: stillSha256, lang, text: r.text.slice(0, 50_000), confidence: Math.round(r.confidence * 100), ...(amounts ? { amounts } : {}) });
    await c.appendEvent(caseId, event);
  }

  return {
    async read(input) {
      try {
        const expected = await expectedFor(input.caseId);
        let bytes: Uint8Array;
        if ('imageBase64' in input) {
          bytes = Buffer.from(input.imageBase64, 'base64');
          if (createHash('sha256').update(bytes).digest('hex') !== input.sha256) throw new ApiFailure('invalid_argument', 'imageBase64 does not hash to sha256');
        } else {
          bytes = (await cases().getCaseEvidence(input.caseId, input.sha256)).bytes;
        }
        const r = await deps.ocr.recognize(bytes, { lang: input.lang, maxPixels: MAX_OCR_PIXELS });
        readings.set(readingKey(input.caseId, r.sha256), r.fields);
        let stored: { sha256: string; cardsCovered: number; originalKept: boolean } | undefined;
        if (input.caseId !== null && 'store' in input) {
          // Card numbers are painted over before the still is stored: the case never holds them.
          const red = await redactImage(bytes, r.cardBoxes, input.store.mime);
          const put = await cases().putEvidence(input.caseId, red.changed ? red.mime : input.store.mime, Buffer.from(red.bytes));
          // The original goes only to the sealed store, never to evidence (which exports and the CRM read), and only where policy keeps it.
          let originalKept = false;
          if (red.changed && deps.originals?.keep()) {
            try { deps.originals.store.seal(input.caseId, put.sha256, input.store.mime, bytes); originalKept = true; } catch (err) {
              deps.log?.warn('original of a redacted still not kept', { caseId: input.caseId, error: err instanceof Error ? err.message : String(err) });
            }
          }
          const caption = red.changed ? `${input.store.caption} — ${r.cardBoxes.length} card number(s) covered` : input.store.caption;
          await cases().appendEvent(input.caseId, CaseEventBody.parse({
            type: 'snapshot', sha256: put.sha256, mime: red.changed ? red.mime : input.store.mime, width: input.store.width, height: input.store.height, caption: caption.slice(0, 500),
            ...(red.changed ? { cardsCovered: r.cardBoxes.length, originalKept } : {}),
          }));
          stored = { sha256: put.sha256, cardsCovered: r.cardBoxes.length, originalKept };
        }
        let savedToCase: number | null = null;
        if (input.caseId !== null) {
          // The reading stands even if recording it fails (as before: the panel showed it, unsaved).
          try { await record(input.caseId, r, input.lang, stored?.sha256 ?? r.sha256); savedToCase = input.caseId; } catch (err) {
            deps.log?.warn('ocr reading not recorded in the case', { caseId: input.caseId, error: err instanceof Error ? err.message : String(err) });
          }
        }
        const findings = await check(input.caseId, expected, [...input.callStills, r.sha256]);
        const { fields, cardBoxes: _boxes, ...page } = r;
        return { reading: { ...page, lang: input.lang, fields: fieldsInMinorUnits(fields) }, findings, savedToCase, ...(stored ? { stored } : {}) };
      } catch (err) {
        throw typed(err);
      }
    },
    async check(caseId, callStills) {
      try { return await check(caseId, await expectedFor(caseId), callStills); } catch (err) { throw typed(err); }
    },
  };
}
