/**
 * The OCR engine on the inputs a phone and a back office send besides clean
 * renders: a 12 MP photo (read at reduced size, boxes still in the photo's own
 * pixels), a big page of small print under the app's pixel cap, a JPEG whose EXIF says "rotate me", palette/1-bit/16-bit PNGs, and a damaged
 * file (a typed error or a reading, never a dead worker). Real tesseract core
 * in a real worker thread; images made from the corpus with ImageMagick.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Box } from '../../../src-main/bills/types';
import { ImageError } from '../../../src-main/ocr/image-info';
import { createOcrService, MAX_OCR_PIXELS, type OcrService, type RecognizeResult } from '../../../src-main/ocr/service';
import { corpus, corpusFile } from './corpus';

const BILL = 'us-phone--clean.png'; // 1290 x 1041, total 316.02
let svc: OcrService;
let dir: string;
let clean: RecognizeResult;
const convert = (...args: string[]) => execFileSync('/usr/bin/convert', args);

/** A minimal EXIF APP1 segment (little-endian TIFF, one IFD entry: Orientation) inserted after the JPEG's SOI. */
function withExifOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(1, 8); // one entry
  tiff.writeUInt16LE(0x0112, 10); // Orientation
  tiff.writeUInt16LE(3, 12); // SHORT
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt16LE(orientation, 18);
  tiff.writeUInt32LE(0, 22); // no next IFD
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, body, jpeg.subarray(2)]);
}

const near = (a: Box, b: Box, tol: number) => Math.abs(a.x - b.x) <= tol && Math.abs(a.y - b.y) <= tol && Math.abs(a.x + a.w - (b.x + b.w)) <= tol && Math.abs(a.y + a.h - (b.y + b.h)) <= tol;

beforeAll(async () => {
  await corpus();
  dir = mkdtempSync(join(tmpdir(), 'ocr-engine-'));
  svc = createOcrService({ size: 1 });
  clean = await svc.recognize(readFileSync(corpusFile(BILL)), { lang: 'eng' });
}, 300_000);
afterAll(async () => { await svc?.close(); });

describe('OCR engine inputs', () => {
  it('reads the clean bill (the reference for the cases below)', () => {
    expect(clean.fields.total?.value).toBe(316.02);
    expect(clean.fields.total?.box).toBeTruthy();
  });

  it('a 12 MP photo: same fields, boxes in the photo\'s own pixels', async () => {
    const file = join(dir, 'phone-12mp.jpg');
    convert(corpusFile(BILL), '-resize', '300%', '-quality', '90', file);
    const r = await svc.recognize(readFileSync(file), { lang: 'eng' });
    expect([r.width, r.height]).toEqual([3870, 3123]);
    expect(r.fields.total?.value).toBe(316.02);
    expect(r.fields.date?.value).toBe(clean.fields.date?.value);
    expect(r.fields.accountNumber?.value).toBe(clean.fields.accountNumber?.value);
    const c = clean.fields.total!.box!;
    const three = { x: c.x * 3, y: c.y * 3, w: c.w * 3, h: c.h * 3 };
    expect(near(r.fields.total!.box!, three, 18), `${JSON.stringify(r.fields.total!.box)} vs ${JSON.stringify(three)}`).toBe(true);
    for (const w of r.lines.flatMap((l) => l.words)) expect(w.box.x + w.box.w).toBeLessThanOrEqual(3870);
  }, 120_000);

  it('the app\'s pixel cap on a big page of small print (no text scaling applies): same fields, boxes in the page\'s own pixels', async () => {
    const file = join(dir, 'big-page.png');
    convert(corpusFile(BILL), '-gravity', 'northwest', '-background', 'white', '-extent', '2600x2100', file);
    const r = await svc.recognize(readFileSync(file), { lang: 'eng', maxPixels: MAX_OCR_PIXELS });
    expect([r.width, r.height]).toEqual([2600, 2100]);
    expect(r.fields.total?.value).toBe(316.02);
    expect(r.fields.date?.value).toBe(clean.fields.date?.value);
    expect(r.fields.accountNumber?.value).toBe(clean.fields.accountNumber?.value);
    // Read at ~0.77x, mapped back: where the clean render has it (the page is the render plus white margin).
    // PP-OCR's detection box carries a margin that scales with the text's read size, so edges move by
    // up to ~15 px between reads; a box mapped back wrongly would be off by ~23 % (250+ px here).
    expect(near(r.fields.total!.box!, clean.fields.total!.box!, 18), `${JSON.stringify(r.fields.total!.box)} vs ${JSON.stringify(clean.fields.total!.box)}`).toBe(true);
    expect(svc.engine.lastStages.scale).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('a JPEG stored sideways with EXIF orientation 6 is read upright, boxes in the upright picture', async () => {
    const file = join(dir, 'sideways.jpg');
    convert(corpusFile(BILL), '-rotate', '-90', '-quality', '92', file);
    const r = await svc.recognize(withExifOrientation(readFileSync(file), 6), { lang: 'eng' });
    expect([r.width, r.height]).toEqual([1290, 1041]);
    expect(r.fields.total?.value).toBe(316.02);
    expect(near(r.fields.total!.box!, clean.fields.total!.box!, 6)).toBe(true);
  }, 120_000);

  it('palette, 1-bit and 16-bit PNGs read like the original', async () => {
    const kinds: Array<[string, string[]]> = [['palette.png', ['-colors', '16', `PNG8:${join(dir, 'palette.png')}`]], ['mono.png', ['-monochrome', join(dir, 'mono.png')]], ['deep.png', ['-depth', '16', `PNG48:${join(dir, 'deep.png')}`]]];
    for (const [name, args] of kinds) {
      convert(corpusFile(BILL), ...args);
      const r = await svc.recognize(readFileSync(join(dir, name)), { lang: 'eng' });
      expect(r.fields.total?.value, name).toBe(316.02);
      expect(near(r.fields.total!.box!, clean.fields.total!.box!, 6), name).toBe(true);
    }
  }, 120_000);

  it('a damaged file gets a typed error or a reading, and OCR keeps serving', async () => {
    const jpeg = readFileSync(corpusFile('us-receipt--jpeg.jpg'));
    // A valid JPEG header whose image data is cut after 3 kB, and one whose data is noise.
    const cut = jpeg.subarray(0, 3000);
    const noise = Buffer.concat([jpeg.subarray(0, 700), Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 256))]);
    for (const bad of [cut, noise]) {
      const outcome = await svc.recognize(bad, { lang: 'eng' }).then((r) => r.fields, (e: unknown) => e);
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(ImageError);
    }
    const after = await svc.recognize(readFileSync(corpusFile(BILL)), { lang: 'eng' });
    expect(after.fields.total?.value).toBe(316.02);
  }, 120_000);
});
