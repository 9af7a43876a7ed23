/**
 * One bad image must not wedge OCR for the rest of a shift: a job over its
 * time limit ends with a typed `ocr_timeout` and its worker is replaced; a
 * worker that dies mid-job gives `ocr_worker_crashed` and is replaced; a
 * burst beyond the bound answers `busy` at once instead of queueing without
 * end; a worker that read a huge image is recycled. After each, the next
 * still reads normally. Real tesseract core in real worker threads.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OcrEngine } from '../../../src-main/ocr/engine';
import { imageInfo } from '../../../src-main/ocr/image-info';
import { createOcrService, type OcrService } from '../../../src-main/ocr/service';

/** A small still (one line of print) keeps each read short; the limits do not depend on the image. */
let bill: Buffer;
const open: OcrService[] = [];
afterEach(async () => { for (const s of open.splice(0)) await s.close(); });
const service = (o: Parameters<typeof createOcrService>[0]) => { const s = createOcrService({ size: 1, engine: 'tesseract', ...o }); open.push(s); return s; };
const errorOf = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { code?: string; message: string });

beforeAll(() => {
  bill = execFileSync('/usr/bin/convert', ['-size', '420x70', 'xc:white', '-fill', 'black', '-pointsize', '32', '-annotate', '+12+48', 'TOTAL 316.02', 'png:-']);
});

describe('OCR job limits', () => {
  it('stops a job over its time limit with ocr_timeout, replaces the worker, and reads the next still', async () => {
    const svc = service({});
    await svc.warm('eng');
    const e = await errorOf(svc.recognize(bill, { lang: 'eng', timeoutMs: 5 }));
    expect(e).toMatchObject({ code: 'ocr_timeout' });
    expect(svc.engine.recycled).toBe(1);
    const next = await svc.recognize(bill, { lang: 'eng' });
    expect(next.text).toMatch(/316\.02/);
  }, 120_000);

  it('answers ocr_worker_crashed when the worker dies mid-job, and reads the next still on a new worker', async () => {
    const engine = new OcrEngine({ size: 1 });
    try {
      await engine.warm('eng');
      const info = imageInfo(bill);
      const job = engine.recognize(bill, 'eng', info);
      // Kill the thread under the job, as an out-of-memory abort in the WebAssembly core would.
      const slot = (engine as unknown as { slots: Array<{ core: { terminate(): Promise<number> } }> }).slots[0]!;
      void slot.core.terminate();
      expect(await errorOf(job)).toMatchObject({ code: 'ocr_worker_crashed' });
      expect(engine.recycled).toBe(1);
      const next = await engine.recognize(bill, 'eng', info);
      expect(next.text).toMatch(/316\.02/);
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('answers busy at once beyond the bound, and takes stills again once the line is short', async () => {
    const svc = service({ maxPending: 2 });
    const first = svc.recognize(bill, { lang: 'eng' });
    const second = svc.recognize(bill, { lang: 'eng' });
    const t0 = Date.now();
    const third = await errorOf(svc.recognize(bill, { lang: 'eng' }));
    expect(third).toMatchObject({ code: 'busy' });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect((await first).text).toMatch(/316\.02/);
    expect((await second).text).toMatch(/316\.02/);
    // The line is short again: the next call is let in (this one fails on its bytes, not with busy).
    expect(await errorOf(svc.recognize(Buffer.from('not an image'), { lang: 'eng' }))).toMatchObject({ code: 'empty_image' });
  }, 180_000);

  it('recycles a worker after a job on an image larger than the bound', async () => {
    const svc = service({ recycleAbovePixels: 20_000 }); // the still is 420 x 70 = 29,400 px
    expect((await svc.recognize(bill, { lang: 'eng', psm: '6' })).text).toMatch(/316\.02/);
    expect(svc.engine.recycled).toBe(1);
    expect(svc.engine.workers).toBe(0);
  }, 120_000);
});
