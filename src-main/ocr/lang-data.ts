/**
 * Offline language data: which traineddata file each language reads, from
 * local files only (nothing is ever fetched from a CDN).
 *
 * English prefers tesseract's "fast" LSTM model (tessdata_fast, Apache-2.0,
 * the file Debian's tesseract-ocr-eng installs and the native CLI reads): on
 * the bill corpus it reads every field the "best_int" model reads and its
 * recognition takes ~30 % less time (docs/PERFORMANCE.md "## OCR"). Japanese
 * keeps best_int: the fast jpn model lost billing periods on the corpus.
 * Where no fast model is installed, English falls back to best_int from
 * @tesseract.js-data/eng.
 *
 * Search order per language: $VISUAL_ASSIST_OCR_LANG_DIR, assets/ocr/lang
 * (where a packaging step puts them), the system tessdata (fast only), the
 * npm data package (best_int).
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LANGS = ['eng', 'jpn'] as const;
export type OcrLangCode = (typeof LANGS)[number];
export type OcrLang = 'eng' | 'jpn' | 'eng+jpn';
export const OCR_LANGS: readonly OcrLang[] = ['eng', 'jpn', 'eng+jpn'];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const APP_LANG_DIR = join(ROOT, 'assets/ocr/lang');
const SYSTEM_TESSDATA = ['/usr/share/tesseract-ocr/5/tessdata', '/usr/share/tesseract-ocr/4.00/tessdata', '/usr/local/share/tessdata'];

export type LangModel = 'fast' | 'best_int';
/** Preferred model first. */
export const MODEL_ORDER: Record<OcrLangCode, LangModel[]> = { eng: ['fast', 'best_int'], jpn: ['best_int'] };

export interface LangFile { code: OcrLangCode; model: LangModel; file: string }

const usable = (f: string) => existsSync(f) && statSync(f).size > 1_000_000;

function candidates(code: OcrLangCode, model: LangModel): string[] {
  const dirs = [process.env.VISUAL_ASSIST_OCR_LANG_DIR, APP_LANG_DIR].filter((d): d is string => !!d);
  if (model === 'fast') return [...dirs.map((d) => join(d, 'fast', `${code}.traineddata`)), ...SYSTEM_TESSDATA.map((d) => join(d, `${code}.traineddata`))];
  const out = dirs.map((d) => join(d, `${code}.traineddata.gz`));
  try {
    const pkg = createRequire(import.meta.url).resolve(`@tesseract.js-data/${code}/package.json`);
    out.push(join(dirname(pkg), '4.0.0_best_int', `${code}.traineddata.gz`));
  } catch { /* package not installed: only the folders above */ }
  return out;
}

/** The traineddata file for one language, preferred model first. */
export function langFile(code: OcrLangCode, order: LangModel[] = MODEL_ORDER[code]): LangFile {
  for (const model of order) for (const file of candidates(code, model)) if (usable(file)) return { code, model, file };
  throw new Error(`OCR language data for ${code} not found: install @tesseract.js-data/${code} (npm ci)`);
}

/** Files for a language spec such as 'eng+jpn'. */
export function langFiles(lang: OcrLang, models?: Partial<Record<OcrLangCode, LangModel[]>>): LangFile[] {
  return (lang.split('+') as OcrLangCode[]).map((c) => langFile(c, models?.[c]));
}
