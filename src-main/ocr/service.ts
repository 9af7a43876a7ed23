/**
 * The OCR service: image bytes in, masked OCR page + bill fields out. The one
 * code path behind the app's 'ocr:readStill' channel, the CLI and the
 * benchmark. Bad input gets an ImageError with a typed code before it
 * reaches the WebAssembly decoder.
 */
import { createHash } from 'node:crypto';
import { extractBill, type ExtractOptions } from '../bills/extract';
import { findCards } from '../bills/cards';
import { maskPage } from '../bills/mask';
import type { BillFields, Box, OcrPage } from '../bills/types';
import { OcrEngine, type EngineOptions, type PsmMode } from './engine';
import { PpocrEngine, type PpocrEngineOptions } from './ppocr/engine';
import { rowsFromSegments } from './ppocr/layout';

import { imageInfo } from './image-info';
import { DEFAULT_MAX_PENDING, PendingGate, type OcrJobLimits } from './jobs';
import type { OcrLang } from './lang-data';

export const FALLBACK_PSM: PsmMode = '6';

/**
 * A billing statement rather than a till receipt: it prints a billing/service
 * period, or an account/invoice number with a due date. Such pages also get the
 * tesseract pass, and its header fields win (see recognize).
 */
// Matched on the letters only, loosely: PP-OCR splits and drops letters in labels ("Ac count number", "Bilng peiod").
const STATEMENT_PERIOD = /(bil{1,2}i?n?g?pe?r?i?od|billingcycle|serviceperiod|statementperiod|servicedates|usageperiod)/;
const STATEMENT_NUMBER = /(accountn(?:umber|o)|acctno|invoicen(?:umber|o)|statementn(?:umber|o))/;
const STATEMENT_DUE = /(duedate|paymentdue|payby|dueby|payableby)/;
export const isStatement = (text: string): boolean => {
  const t = text.toLowerCase().replace(/[^a-z]/g, '');
  return STATEMENT_PERIOD.test(t) || (STATEMENT_NUMBER.test(t) && STATEMENT_DUE.test(t));
};
const STATEMENT_KEYS = ['date', 'dueDate', 'periodStart', 'periodEnd', 'accountNumber', 'invoiceNumber'] as const;
/**
 * The app reads a still at most this many pixels: a 12 MP phone photo took
 * 2-4x longer than the same bill at 3 MP with the same fields read
 * (docs/OCR.md). The worker applies it as a bound on its one scale step, so
 * the stored evidence stays the original and boxes are in its pixels.
 */
export const MAX_OCR_PIXELS = 3_200_000;

export interface RecognizeResult extends OcrPage {
  fields: BillFields;
  confidence: number;
  sha256: string;
  ms: number;
  /** Boxes of the card numbers found on the still (in its pixels): what redactImage paints over before it is stored. */
  cardBoxes: Box[];
}

/**
 * Which engine reads which language: PP-OCRv4 (detection + recognition on
 * onnxruntime) reads Latin script, where on real receipts its text held the
 * exact total for every page of the dev set and tesseract's for about four in
 * five (docs/OCR.md); its recogniser has no kana, so Japanese stays on
 * tesseract. 'tesseract' forces tesseract for every language (bench, tests).
 */
export type EngineChoice = 'auto' | 'ppocr' | 'tesseract';
export const engineFor = (lang: OcrLang, choice: EngineChoice): 'ppocr' | 'tesseract' =>
  choice === 'tesseract' ? 'tesseract' : choice === 'ppocr' ? 'ppocr' : lang === 'eng' ? 'ppocr' : 'tesseract';

export interface OcrService {
  /** Busy (more than maxPending calls at once) answers OcrJobError 'busy' at once; each engine pass has a time limit (ocr_timeout). */
  recognize(image: Uint8Array, opts?: { lang?: OcrLang; psm?: PsmMode; maxPixels?: number; timeoutMs?: number }): Promise<RecognizeResult>;
  warm(lang?: OcrLang): Promise<{ workers: number; ms: number }>;
  /** tesseract (Japanese, and any language when forced). */
  readonly engine: OcrEngine;
  /** PP-OCR (Latin script). */
  readonly ppocr: PpocrEngine;
  close(): Promise<void>;
}

export interface OcrServiceOptions extends EngineOptions, OcrJobLimits {
  extract?: ExtractOptions;
  engine?: EngineChoice;
  ppocr?: Omit<PpocrEngineOptions, 'size' | 'log'>;
}

export function createOcrService(opts: OcrServiceOptions = {}): OcrService {
  const engine = new OcrEngine(opts);
  const ppocr = new PpocrEngine({ ...opts.ppocr, ...(opts.size ? { size: opts.size } : {}), ...(opts.log ? { log: opts.log } : {}), ...(opts.jobTimeoutMs ? { jobTimeoutMs: opts.jobTimeoutMs } : {}) });
  const choice = opts.engine ?? 'auto';
  // One gate for both engines: a burst of stills waits in a short line, never an endless one.
  const gate = new PendingGate(opts.maxPending ?? DEFAULT_MAX_PENDING);
  return {
    engine,
    ppocr,
    async warm(lang = 'eng') {
      const t0 = performance.now();
      if (engineFor(lang, choice) === 'ppocr') await ppocr.warm();
      else await engine.warm(lang);
      return { workers: engine.workers + ppocr.workerCount, ms: Math.round(performance.now() - t0) };
    },
    recognize(image, o = {}) { return gate.run(() => recognizeNow(image, o)); },
    close: async () => { await Promise.all([engine.close(), ppocr.close()]); },
  };

  async function recognizeNow(image: Uint8Array, o: { lang?: OcrLang; psm?: PsmMode; maxPixels?: number; timeoutMs?: number }): Promise<RecognizeResult> {
    const info = imageInfo(image);
    const limit = o.timeoutMs ? { timeoutMs: o.timeoutMs } : {};
    const lang = o.lang ?? 'eng';
    const t0 = performance.now();
    const buf = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
    if (engineFor(lang, choice) === 'ppocr') {
      const pp = await ppocr.recognize(buf, { maxPixels: o.maxPixels ?? 0, ...limit });
      const raw = rowsFromSegments(pp.segments, pp.width, pp.height, lang);
      const cardBoxes = findCards(raw).map((c) => c.box);
      const { page, masked } = maskPage(raw);
      const fields = extractBill(page, { ...opts.extract, lang, masked });
      const statement = isStatement(raw.text);
      if (choice === 'auto' && (!fields.total || !fields.currency || statement)) {
        // PP-OCR's recogniser has no € or £ (its dictionary is Chinese + ASCII + ¥), and a page may still
        // lose its total: such a page gets one tesseract pass, whose values fill only what is missing.
        const t = await engine.recognize(buf, lang, info, { ...(o.maxPixels ? { maxPixels: o.maxPixels } : {}), ...limit });
        cardBoxes.push(...findCards(t).map((c) => c.box));
        const tm = maskPage(t);
        const tf = extractBill(tm.page, { ...opts.extract, lang, masked: tm.masked });
        const f = fields as unknown as Record<string, unknown>;
        for (const k of ['total', 'currency', 'subtotal', 'tax', 'date', 'vendor'] as const) if (!fields[k] && tf[k]) f[k] = tf[k];
        // A rendered statement's header (period, account, invoice, dates) is a grid of label/value pairs
        // that PP-OCR's separate boxes lose the pairing of (docs/OCR.md); tesseract's lines keep it.
        if (statement) for (const k of STATEMENT_KEYS) if (tf[k]) f[k] = tf[k];
        for (const m of tm.masked) if (!fields.maskedNumbers.includes(m)) fields.maskedNumbers.push(m);
      }
      return finish(page, fields, image, t0, cardBoxes);
    }
    const read = async (psm?: PsmMode) => {
      const raw = await engine.recognize(buf, lang, info, { psm, ...(o.maxPixels ? { maxPixels: o.maxPixels } : {}), ...limit });
      const cardBoxes = findCards(raw).map((c) => c.box);
      const { page, masked } = maskPage(raw);
      return { page, cardBoxes, fields: extractBill(page, { ...opts.extract, lang, masked }) };
    };
    let { page, fields, cardBoxes } = await read(o.psm);
    if (!fields.total && !o.psm) {
      // The default layout analysis sometimes drops a whole amount column (a tilted narrow
      // receipt); one single-block pass (PSM 6) reads it. Only pages without a total pay for it.
      const second = await read(FALLBACK_PSM);
      if (second.fields.total) ({ page, fields } = second);
      // Either pass may have seen a card number: both are painted over.
      cardBoxes = [...cardBoxes, ...second.cardBoxes];
    }
    return finish(page, fields, image, t0, cardBoxes);
  }
}

function finish(page: OcrPage, fields: BillFields, image: Uint8Array, t0: number, cardBoxes: Box[]): RecognizeResult {
  const words = page.lines.flatMap((l) => l.words);
  const confidence = words.length ? words.reduce((a, w) => a + w.confidence, 0) / words.length : 0;
  const sha256 = createHash('sha256').update(image).digest('hex');
  return { ...page, fields, confidence, sha256, ms: Math.round(performance.now() - t0), cardBoxes };
}
