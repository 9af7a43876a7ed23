/**
 * Card numbers covered in the pixels: a statement painted with a Visa number,
 * an Amex number in 4-6-5 grouping, a 13-digit reference and an amount is read
 * by the app's OCR, redacted as it would be stored, and then read again by a
 * different engine, native tesseract (Debian's tesseract-ocr), which must find
 * neither card number and still find the reference and the amount. Also the
 * CLI's --redacted-dir writes that image under the file's own name.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnOk } from '../../../src-main/bills/cards';
import { redactImage } from '../../../src-main/ocr/redact';
import { createOcrService, type OcrService } from '../../../src-main/ocr/service';

import { AMEX, AMOUNT, REFERENCE, VISA, cardStatementPng, digits } from './card-statement';

const dir = mkdtempSync(join(tmpdir(), 'ocr-redact-'));
const statement = join(dir, 'statement.png');
let svc: OcrService;

const hasTesseract = spawnSync('tesseract', ['--version']).status === 0;
const tesseract = (file: string) => {
  const r = spawnSync('tesseract', [file, '-', '--psm', '4'], { encoding: 'utf8', env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
  return r.stdout;
};

beforeAll(async () => {
  writeFileSync(statement, await cardStatementPng());
  svc = createOcrService({ size: 1 });
}, 60_000);

afterAll(async () => { await svc?.close(); });

describe('card numbers are painted over before a still is stored', () => {
  it('the test data is what it claims: both cards pass Luhn, the reference does not', () => {
    expect(luhnOk(digits(VISA))).toBe(true);
    expect(luhnOk(digits(AMEX))).toBe(true);
    expect(luhnOk(REFERENCE)).toBe(false);
  });

  it.skipIf(!hasTesseract)('after redaction native tesseract finds neither card number, and still finds the reference and the amount', async () => {
    const original = readFileSync(statement);
    // The unredacted statement is readable by tesseract: the check below can fail.
    const before = digits(tesseract(statement));
    expect(before).toContain(digits(VISA));

    const r = await svc.recognize(original, { lang: 'eng' });
    expect(r.cardBoxes).toHaveLength(2);
    // The text keeps only the last four.
    expect(r.text).not.toContain(digits(VISA).slice(0, 12));
    expect(r.text).toMatch(/\*{4} \*{4} \*{4} 6467/);
    expect(r.fields.maskedNumbers).toHaveLength(2);

    const red = await redactImage(original, r.cardBoxes);
    expect(red.changed).toBe(true);
    expect(red.sha256).not.toBe(r.sha256);
    const stored = join(dir, 'stored.png');
    writeFileSync(stored, red.bytes);
    const after = tesseract(stored);
    const afterDigits = digits(after);
    for (const card of [VISA, AMEX]) {
      expect(afterDigits).not.toContain(digits(card));
      // No recognisable group of it either (the first 8 digits would name the issuer and more).
      expect(afterDigits).not.toContain(digits(card).slice(0, 8));
    }
    expect(afterDigits).toContain(REFERENCE);
    expect(after).toContain(AMOUNT);

    // Our own OCR on the stored image finds no card left, and the same amount.
    const again = await svc.recognize(red.bytes, { lang: 'eng' });
    expect(again.cardBoxes).toHaveLength(0);
    expect(again.fields.total?.value).toBe(1284.56);
  }, 120_000);

  it('a still without a card number is stored byte for byte', async () => {
    const png = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#fff' } }).png().toBuffer();
    const red = await redactImage(png, []);
    expect(red.changed).toBe(false);
    expect(Buffer.from(red.bytes).equals(png)).toBe(true);
  });

  it.skipIf(!hasTesseract)('npm run ocr -- --redacted-dir DIR writes each image there as it would be stored, under its own name', () => {
    const out = join(dir, 'redacted');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/ocr/cli.ts', '--json', '--redacted-dir', out, statement], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    const entry = JSON.parse(r.stdout)[0];
    expect(entry.redacted).toEqual({ file: join(out, 'statement.png'), cardsPainted: 2 });
    expect(JSON.stringify(entry)).not.toContain(digits(VISA).slice(0, 8));
    expect(digits(tesseract(join(out, 'statement.png')))).not.toContain(digits(AMEX));
  }, 120_000);
});
