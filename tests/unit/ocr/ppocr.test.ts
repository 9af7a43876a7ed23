/** The PP-OCR glue without the networks: DB boxes, CTC decoding, rows from boxes, the missing-model error. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ppocrCore } from '../../../src-main/ocr/ppocr/core';
import { findModels, OcrModelError, PpocrEngine } from '../../../src-main/ocr/ppocr/engine';
import { rowsFromSegments } from '../../../src-main/ocr/ppocr/layout';
import type { PpocrSegment } from '../../../src-main/ocr/ppocr/worker';

const core = ppocrCore();
const OPTS = { thresh: 0.3, boxThresh: 0.6, unclip: 1.6, minSize: 3, maxCandidates: 1000 };

describe('DB post-processing', () => {
  it('one box per text blob, scaled to the image, grown by the unclip distance, in reading order', () => {
    const mw = 64, mh = 32;
    const prob = new Float32Array(mw * mh);
    const blob = (x0: number, y0: number, x1: number, y1: number) => { for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) prob[y * mw + x] = 0.9; };
    blob(40, 4, 60, 8); // right, top row
    blob(4, 5, 30, 9); // left, same row
    blob(4, 20, 20, 24); // next row
    const qs = core.dbBoxes(prob, mw, mh, 640, 320, OPTS);
    expect(qs).toHaveLength(3);
    // Reading order: the left box of the first row, its right neighbour, then the next row.
    expect(qs[0]!.pts[0]).toBeLessThan(qs[1]!.pts[0]);
    expect(qs[2]!.pts[1]).toBeGreaterThan(qs[0]!.pts[1]);
    // The first blob spans x 4..30 in the map: ×10 in the image, grown on both sides.
    expect(qs[0]!.pts[0]).toBeLessThan(40);
    expect(qs[0]!.pts[2]).toBeGreaterThan(300);
    expect(qs[0]!.score).toBeCloseTo(0.9, 5);
  });

  it('faint blobs (mean probability under boxThresh) are dropped', () => {
    const prob = new Float32Array(32 * 16);
    for (let y = 4; y < 9; y++) for (let x = 4; x < 20; x++) prob[y * 32 + x] = 0.4;
    expect(core.dbBoxes(prob, 32, 16, 32, 16, OPTS)).toHaveLength(0);
  });
});

describe('CTC decoding', () => {
  it('drops blanks and repeats, keeps where each character was read, and puts a space in a wide gap', () => {
    const dict = ['A', 'B', 'C', '1'];
    const C = dict.length + 2; // blank + dict + space
    const steps = [1, 1, 0, 2, 0, 3, 0, 0, 0, 0, 0, 1, 0, 2]; // A A _ B _ C _ _ _ _ _ A _ B
    const probs = new Float32Array(steps.length * C);
    steps.forEach((k, t) => { probs[t * C + k] = 0.9; });
    const d = core.ctcDecode(probs, 0, steps.length, C, [...dict, ' '], steps.length * 8, steps.length * 8);
    expect(d.text).toBe('ABC AB');
    expect(d.spans).toHaveLength(6);
    expect(d.spans[0]![0]).toBeLessThan(d.spans[1]![0]);
    expect(d.confidence).toBeCloseTo(0.9, 5);
  });
});

describe('rows from boxes', () => {
  const seg = (text: string, x: number, y: number, w: number, h = 20): PpocrSegment => ({
    text, confidence: 0.95, quad: [x, y, x + w, y, x + w, y + h, x, y + h],
    words: [{ text, confidence: 0.95, box: { x, y, w, h } }],
  });
  it('a label at the left margin and its amount at the right are one row; rows go top to bottom', () => {
    const page = rowsFromSegments([seg('11.60', 600, 102, 80), seg('TOTAL', 40, 100, 100), seg('CASH', 40, 140, 80), seg('20.00', 600, 141, 80)], 800, 300, 'eng');
    expect(page.lines.map((l) => l.text)).toEqual(['TOTAL 11.60', 'CASH 20.00']);
  });
});

describe('models', () => {
  it('a folder without the models is a typed model_missing error, also from the engine', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-models-'));
    expect(() => findModels(empty)).toThrow(OcrModelError);
    try { findModels(empty); } catch (e) { expect((e as OcrModelError).code).toBe('model_missing'); }
    const eng = new PpocrEngine({ size: 1, models: { det: join(empty, 'det.onnx'), rec: join(empty, 'rec.onnx'), dict: join(empty, 'keys.txt') } });
    await expect(eng.warm()).rejects.toMatchObject({ code: 'model_missing' });
    await eng.close();
  });

  it('the installed package has them', () => {
    const m = findModels();
    expect(m.det).toMatch(/det_infer\.onnx$/);
  });
});
