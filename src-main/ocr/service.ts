/**
 * The OCR service: image bytes in, masked OCR page + bill fields out. The one
 * code path behind the app's 'ocr:readStill' channel, the CLI and the
 * benchmark. Bad input gets an ImageError with a typed code before it
 * reaches the WebAssembly decoder.
 */
import { createHash } from 'node:crypto';
import { extractBill, type ExtractOptions } from '../bills/extract';
import { maskPage } from '../bills/mask';
import type { BillFields, OcrPage } from '../bills/types';
import { OcrEngine, type EngineOptions, type PsmMode } from './engine';

import { imageInfo } from './image-info';
import type { OcrLang } from './lang-data';

export const FALLBACK_PSM: PsmMode = '6';
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
}

export interface OcrService {
  recognize(image: Uint8Array, opts?: { lang?: OcrLang; psm?: PsmMode; maxPixels?: number }): Promise<RecognizeResult>;
  warm(lang?: OcrLang): Promise<{ workers: number; ms: number }>;
  readonly engine: OcrEngine;
  close(): Promise<void>;
}

export function createOcrService(opts: EngineOptions & { extract?: ExtractOptions } = {}): OcrService {
  const engine = new OcrEngine(opts);
  return {
    engine,
    async warm(lang = 'eng') {
      const t0 = performance.now();
      await engine.warm(lang);
      return { workers: engine.workers, ms: Math.round(performance.now() - t0) };
    },
    async recognize(image, o = {}) {
      const info = imageInfo(image);
      const lang = o.lang ?? 'eng';
      const t0 = performance.now();
      const buf = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
      const read = async (psm?: PsmMode) => {
        const { page, masked } = maskPage(await engine.recognize(buf, lang, info, { psm, ...(o.maxPixels ? { maxPixels: o.maxPixels } : {}) }));
        return { page, fields: extractBill(page, { ...opts.extract, lang, masked }) };
      };
      let { page, fields } = await read(o.psm);
      if (!fields.total && !o.psm) {
        // The default layout analysis sometimes drops a whole amount column (a tilted narrow
        // receipt); one single-block pass (PSM 6) reads it. Only pages without a total pay for it.
        const second = await read(FALLBACK_PSM);
        if (second.fields.total) ({ page, fields } = second);
      }
      const words = page.lines.flatMap((l) => l.words);
      const confidence = words.length ? words.reduce((a, w) => a + w.confidence, 0) / words.length : 0;
      const sha256 = createHash('sha256').update(image).digest('hex');
      return { ...page, fields, confidence, sha256, ms: Math.round(performance.now() - t0) };
    },
    close: () => engine.close(),
  };
}
