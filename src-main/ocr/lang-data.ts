/**
 * Offline language data. tesseract.js reads `<langPath>/<lang>.traineddata.gz`
 * from one folder, while the npm data packages keep eng and jpn in separate
 * packages, so the files are gathered into one folder: assets/ocr/lang when
 * the app folder is writable (dev, CI, and the packaged app where a build
 * step put them there), otherwise a folder under the data dir. Nothing is
 * ever fetched from a CDN.
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LANGS = ['eng', 'jpn'] as const;
export type OcrLangCode = (typeof LANGS)[number];
export type OcrLang = 'eng' | 'jpn' | 'eng+jpn';
export const OCR_LANGS: readonly OcrLang[] = ['eng', 'jpn', 'eng+jpn'];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const APP_LANG_DIR = join(ROOT, 'assets/ocr/lang');
/** best_int: the LSTM models, integer-quantised (small, fast, what OEM 1 uses). */
const VARIANT = '4.0.0_best_int';

function packageFile(lang: OcrLangCode): string {
  const req = createRequire(import.meta.url);
  const pkg = req.resolve(`@tesseract.js-data/${lang}/package.json`);
  return join(dirname(pkg), VARIANT, `${lang}.traineddata.gz`);
}

const complete = (dir: string) => LANGS.every((l) => existsSync(join(dir, `${l}.traineddata.gz`)) && statSync(join(dir, `${l}.traineddata.gz`)).size > 1000);

/** Returns a folder holding eng and jpn traineddata; copies them there from node_modules if needed. */
export function ensureLangDir(fallbackDir?: string): string {
  const override = process.env.VISUAL_ASSIST_OCR_LANG_DIR;
  if (override) {
    if (!complete(override)) throw new Error(`VISUAL_ASSIST_OCR_LANG_DIR=${override} lacks ${LANGS.map((l) => `${l}.traineddata.gz`).join(', ')}`);
    return override;
  }
  if (complete(APP_LANG_DIR)) return APP_LANG_DIR;
  for (const dir of [APP_LANG_DIR, fallbackDir].filter((d): d is string => !!d)) {
    try {
      mkdirSync(dir, { recursive: true });
      for (const l of LANGS) copyFileSync(packageFile(l), join(dir, `${l}.traineddata.gz`));
      if (complete(dir)) return dir;
    } catch { /* read-only app folder: try the next place */ }
  }
  throw new Error('OCR language data not found: install @tesseract.js-data/eng and @tesseract.js-data/jpn (npm ci)');
}
