/**
 * A small pool of tesseract.js workers (each a Node worker_thread running the
 * WebAssembly core) kept warm between calls: init costs ~0.5-1.5 s, a page
 * ~0.3-1 s. One worker is started eagerly; more are added, up to `size`,
 * only when calls queue up. Workers are keyed by language; an idle worker of
 * another language is re-initialised rather than growing past `size`.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorker, OEM, PSM, type Worker, type Page } from 'tesseract.js';
import type { Box, OcrLine, OcrPage, OcrWord } from '../bills/types';
import { ensureLangDir, type OcrLang } from './lang-data';

export interface EngineOptions {
  /** Max workers (default: cores, at most 4). */
  size?: number;
  /** Where to gather language data if the app folder is read-only. */
  dataDir?: string;
  /** Page segmentation mode; chosen by measurement on the corpus (docs/OCR.md). */
  psm?: PsmMode;
  /** Extra tesseract parameters (e.g. thresholding_method), chosen by measurement. */
  params?: Record<string, string>;
  log?: (msg: string) => void;
}
export type PsmMode = '3' | '4' | '6' | '11';
export const DEFAULT_PSM: PsmMode = '4';
/**
 * preserve_interword_spaces keeps the wide gaps between a label and its
 * amount (the vendor cut uses word boxes anyway). thresholding_method is set
 * by measurement in docs/OCR.md.
 */
export const DEFAULT_PARAMS: Record<string, string> = { preserve_interword_spaces: '1', thresholding_method: '2' };

interface Slot { worker: Worker; lang: OcrLang; busy: boolean; psm: PsmMode }
interface Job { lang: OcrLang; psm: PsmMode; image: Buffer; resolve: (p: OcrPage) => void; reject: (e: Error) => void; rotateAuto: boolean }

const toBox = (b: { x0: number; y0: number; x1: number; y1: number }): Box => ({ x: b.x0, y: b.y0, w: b.x1 - b.x0, h: b.y1 - b.y0 });

/** Flatten tesseract's block→paragraph→line→word tree into lines with words (confidence 0..1). */
export function pageFromTesseract(data: Page, lang: OcrLang, width: number, height: number): OcrPage {
  const lines: OcrLine[] = [];
  for (const block of data.blocks ?? []) for (const para of block.paragraphs) for (const line of para.lines) {
    const words: OcrWord[] = line.words
      .filter((w) => w.text.trim() !== '')
      .map((w) => ({ text: w.text, box: toBox(w.bbox), confidence: Math.max(0, Math.min(1, w.confidence / 100)) }));
    if (!words.length) continue;
    lines.push({ text: line.text.replace(/\s+$/, ''), box: toBox(line.bbox), confidence: Math.max(0, Math.min(1, line.confidence / 100)), words });
  }
  return { width, height, lang, text: data.text ?? lines.map((l) => l.text).join('\n'), lines };
}

export class OcrEngine {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly starting = new Set<Promise<Slot>>();
  private readonly queue: Job[] = [];
  private langDir: string | null = null;
  private closed = false;
  private readonly psm: PsmMode;
  private readonly params: Record<string, string>;
  private readonly log: (m: string) => void;

  constructor(private readonly opts: EngineOptions = {}) {
    this.size = Math.max(1, Math.min(opts.size ?? Math.min(availableParallelism(), 4), 8));
    this.psm = opts.psm ?? DEFAULT_PSM;
    this.params = { ...DEFAULT_PARAMS, ...opts.params };
    this.log = opts.log ?? (() => {});
  }

  get workers(): number { return this.slots.length; }

  /** Start one worker for `lang` now so the first real call does not pay init. */
  async warm(lang: OcrLang = 'eng'): Promise<void> {
    if (this.slots.some((s) => s.lang === lang) || this.closed) return;
    const slot = await this.spawn(lang);
    this.slots.push(slot);
    this.pump();
  }

  recognize(image: Buffer, lang: OcrLang, info: { width: number; height: number }, opts: { psm?: PsmMode; rotateAuto?: boolean } = {}): Promise<OcrPage> {
    if (this.closed) return Promise.reject(new Error('OCR engine is closed'));
    return new Promise<OcrPage>((resolve, reject) => {
      this.queue.push({
        lang, psm: opts.psm ?? this.psm, image, rotateAuto: opts.rotateAuto ?? true,
        resolve: (p) => resolve({ ...p, width: info.width, height: info.height }), reject,
      });
      this.pump();
    });
  }

  private async spawn(lang: OcrLang): Promise<Slot> {
    this.langDir ??= ensureLangDir(this.opts.dataDir ? join(this.opts.dataDir, 'ocr-lang') : join(tmpdir(), 'visual-assist-ocr-lang'));
    const t0 = Date.now();
    const worker = await createWorker(lang, OEM.LSTM_ONLY, {
      langPath: this.langDir,
      // 'none': never write traineddata into the working directory (tesseract.js' default cache).
      cacheMethod: 'none',
      gzip: true,
    });
    await worker.setParameters({ ...this.params, tessedit_pageseg_mode: this.psm as unknown as PSM });
    this.log(`ocr: worker ${lang} ready in ${Date.now() - t0} ms`);
    return { worker, lang, busy: false, psm: this.psm };
  }

  private pump(): void {
    while (this.queue.length && !this.closed) {
      const job = this.queue[0]!;
      let slot = this.slots.find((s) => !s.busy && s.lang === job.lang);
      if (!slot) {
        if (this.slots.length + this.starting.size < this.size) {
          const p = this.spawn(job.lang);
          this.starting.add(p);
          p.then((s) => { this.starting.delete(p); if (this.closed) { void s.worker.terminate(); return; } this.slots.push(s); this.pump(); },
            (e: Error) => { this.starting.delete(p); const j = this.queue.shift(); j?.reject(e); this.pump(); });
          return;
        }
        const idle = this.slots.find((s) => !s.busy);
        if (!idle) return;
        // Re-initialise an idle worker of another language instead of growing the pool.
        idle.busy = true;
        this.queue.shift();
        const from = idle.lang;
        idle.worker.reinitialize(job.lang, OEM.LSTM_ONLY)
          .then(() => idle.worker.setParameters({ ...this.params, tessedit_pageseg_mode: idle.psm as unknown as PSM }))
          .then(() => { idle.lang = job.lang; this.log(`ocr: worker ${from} -> ${job.lang}`); return this.run(idle, job); }, (e: Error) => { idle.busy = false; job.reject(e); this.pump(); });
        continue;
      }
      this.queue.shift();
      slot.busy = true;
      void this.run(slot, job);
    }
  }

  private async run(slot: Slot, job: Job): Promise<void> {
    try {
      if (slot.psm !== job.psm) {
        await slot.worker.setParameters({ tessedit_pageseg_mode: job.psm as unknown as PSM });
        slot.psm = job.psm;
      }
      const r = await slot.worker.recognize(job.image, { rotateAuto: job.rotateAuto }, { text: true, blocks: true });
      job.resolve(pageFromTesseract(r.data, job.lang, 0, 0));
    } catch (e) {
      job.reject(e instanceof Error ? e : new Error(String(e)));
    } finally {
      slot.busy = false;
      this.pump();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new Error('OCR engine is closed'));
    await Promise.allSettled([...this.starting]);
    await Promise.allSettled(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
