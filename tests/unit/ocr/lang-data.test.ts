/** Which traineddata each language reads: the fast English model when one is installed, best_int otherwise. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { langFile, langFiles } from '../../../src-main/ocr/lang-data';

const saved = process.env.VISUAL_ASSIST_OCR_LANG_DIR;
afterEach(() => { if (saved === undefined) delete process.env.VISUAL_ASSIST_OCR_LANG_DIR; else process.env.VISUAL_ASSIST_OCR_LANG_DIR = saved; });

function langDir(files: Record<string, number>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocr-lang-'));
  for (const [rel, size] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), Buffer.alloc(size, 1));
  }
  return dir;
}

describe('OCR language data', () => {
  it('English prefers the fast model, Japanese reads best_int', () => {
    const dir = langDir({ 'fast/eng.traineddata': 1_200_000, 'eng.traineddata.gz': 1_200_000, 'jpn.traineddata.gz': 1_200_000 });
    process.env.VISUAL_ASSIST_OCR_LANG_DIR = dir;
    expect(langFile('eng')).toEqual({ code: 'eng', model: 'fast', file: join(dir, 'fast/eng.traineddata') });
    expect(langFile('jpn')).toEqual({ code: 'jpn', model: 'best_int', file: join(dir, 'jpn.traineddata.gz') });
    expect(langFiles('eng+jpn').map((f) => f.model)).toEqual(['fast', 'best_int']);
    expect(langFile('eng', ['best_int']).file).toBe(join(dir, 'eng.traineddata.gz'));
  });

  it('a truncated file is passed over for the next one in line', () => {
    const dir = langDir({ 'fast/eng.traineddata': 5_000, 'eng.traineddata.gz': 5_000 });
    process.env.VISUAL_ASSIST_OCR_LANG_DIR = dir;
    const f = langFile('eng', ['best_int']);
    expect(f.file).not.toContain(dir);
    expect(f.file).toMatch(/@tesseract\.js-data\/eng\/4\.0\.0_best_int\/eng\.traineddata\.gz$|assets\/ocr\/lang\/eng\.traineddata\.gz$/);
  });
});
