/**
 * A small pool of OCR worker threads (each running tesseract.js 7's
 * WebAssembly core, see core-worker.ts) kept warm between calls: init costs
 * ~0.3-1 s, a page ~0.2-0.6 s. One worker is started eagerly; more are added,
 * up to `size`, only when calls queue up. Workers are keyed by language; an
 * idle worker of another language is re-initialised rather than growing past
 * `size`.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Box, OcrLine, OcrPage, OcrWord } from '../bills/types';
import { WORKER_SOURCE, type RecognizeOpts, type WorkerPage, type WorkerRequest, type WorkerResponse } from './core-worker';
import { langFiles, type LangModel, type OcrLang, type OcrLangCode } from './lang-data';
import { ImageError } from './image-info';
import { crashed, DEFAULT_JOB_TIMEOUT_MS, DEFAULT_RECYCLE_ABOVE_PIXELS, withTimeLimit, type OcrJobLimits } from './jobs';

export interface EngineOptions extends Pick<OcrJobLimits, 'jobTimeoutMs' | 'recycleAbovePixels'> {
  /** Max workers (default: cores, at most 4). */
  size?: number;
  /** Kept for callers of earlier versions; language data is read in place now. */
  dataDir?: string;
  /** Page segmentation mode; chosen by measurement on the corpus (docs/OCR.md). */
  psm?: PsmMode;
  /** Extra tesseract parameters (e.g. thresholding_method), chosen by measurement. */
  params?: Record<string, string>;
  /** Median text-line height (px) that large text is scaled down to before recognition; 0 = never. */
  targetLinePx?: number;
  /** Largest probe image (pixels) for measuring skew and text size. */
  probePixels?: number;
  /** Page segmentation mode whose layout gives the skew angle (default '3', as tesseract.js's rotateAuto). */
  anglePsm?: PsmMode;
  /** Model preference per language (default MODEL_ORDER in lang-data.ts). */
  models?: Partial<Record<OcrLangCode, LangModel[]>>;
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
/**
 * Lines of a clean corpus bill are ~23-30 px tall and read perfectly; tesseract
 * scales every line to its network's 36-48 px anyway, so a 12 MP photo whose
 * lines are ~90 px tall only costs decode and layout time. Measured in
 * docs/PERFORMANCE.md "## OCR".
 */
export const DEFAULT_TARGET_LINE_PX = 40;
/**
 * The skew/text-size probe: a 0.5 MP copy lays out in a third of the time of a
 * corpus page (1.3 MP) and gave the same angles' accuracy (docs/PERFORMANCE.md).
 */
export const DEFAULT_PROBE_PIXELS = 500_000;

interface Slot { core: CoreWorker; lang: OcrLang; busy: boolean }
interface Job { lang: OcrLang; psm: PsmMode; image: Uint8Array; resolve: (p: OcrPage) => void; reject: (e: Error) => void; rotateAuto: boolean; maxPixels: number; pixels: number; timeoutMs: number }

const toBox = (b: { x0: number; y0: number; x1: number; y1: number }): Box => ({ x: b.x0, y: b.y0, w: b.x1 - b.x0, h: b.y1 - b.y0 });
const conf01 = (c: number) => Math.max(0, Math.min(1, c / 100));

/** Tesseract's lines (with words, confidence 0..100) → OcrPage lines (confidence 0..1), empty words dropped. */
export function pageFromTesseract(data: { lines: WorkerPage['lines']; text?: string }, lang: OcrLang, width: number, height: number): OcrPage {
  const lines: OcrLine[] = [];
  for (const line of data.lines) {
    const words: OcrWord[] = line.words
      .filter((w) => w.text.trim() !== '')
      .map((w) => ({ text: w.text, box: toBox(w.bbox), confidence: conf01(w.confidence) }));
    if (!words.length) continue;
    lines.push({ text: line.text.replace(/\s+$/, ''), box: toBox(line.bbox), confidence: conf01(line.confidence), words });
  }
  return { width, height, lang, text: data.text ?? lines.map((l) => l.text).join('\n'), lines };
}

/** The core build tesseract.js itself would pick here (relaxed SIMD, SIMD, plain), LSTM-only. */
async function corePath(): Promise<string> {
  const fromTesseractJs = createRequire(createRequire(import.meta.url).resolve('tesseract.js'));
  const { simd, relaxedSimd } = fromTesseractJs('wasm-feature-detect') as { simd: () => Promise<boolean>; relaxedSimd: () => Promise<boolean> };
  const flavour = (await relaxedSimd()) ? 'relaxedsimd-lstm' : (await simd()) ? 'simd-lstm' : 'lstm';
  return fromTesseractJs.resolve(`tesseract.js-core/tesseract-core-${flavour}.js`);
}
let corePathP: Promise<string> | null = null;

type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;

/** One worker thread and its request/response bookkeeping. */
class CoreWorker {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  exited = false;

  constructor() {
    this.worker.on('message', (m: WorkerResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(m.code === 'unsupported_image' ? new ImageError('unsupported_image', m.error) : new Error(m.error));
    });
    const fail = (e: Error) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`OCR worker exited (${code})`)));
  }

  call<T>(msg: WithoutId<WorkerRequest>): Promise<T> {
    if (this.exited) return Promise.reject(new Error('OCR worker has exited'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  terminate(): Promise<number> { return this.worker.terminate(); }
}

export class OcrEngine {
  readonly size: number;
  private readonly slots: Array<Slot> = [];
  private readonly starting = new Set<Promise<Slot>>();
  private readonly queue: Job[] = [];
  private closed = false;
  private readonly psm: PsmMode;
  private readonly params: Record<string, string>;
  private readonly recognizeOpts: Omit<RecognizeOpts, 'psm' | 'deskew' | 'maxPixels'>;
  private readonly log: (m: string) => void;
  /** Stage timings of the last page (decode, grey, layout, scale, recognize, output), for the benchmark's profile. */
  lastStages: Record<string, number> = {};
  /** Workers ended and replaced (timed out, crashed, or grown on a huge image), for diagnostics and tests. */
  recycled = 0;

  constructor(private readonly opts: EngineOptions = {}) {
    this.size = Math.max(1, Math.min(opts.size ?? Math.min(availableParallelism(), 4), 8));
    this.psm = opts.psm ?? DEFAULT_PSM;
    this.params = { ...DEFAULT_PARAMS, ...opts.params };
    this.recognizeOpts = { targetLinePx: opts.targetLinePx ?? DEFAULT_TARGET_LINE_PX, probePixels: opts.probePixels ?? DEFAULT_PROBE_PIXELS, anglePsm: opts.anglePsm ?? '3' };
    this.log = opts.log ?? (() => {});
  }

  get workers(): number { return this.slots.length; }

  /** Start one worker for `lang` now so the first real call does not pay init. */
  async warm(lang: OcrLang = 'eng'): Promise<void> {
    if (this.slots.some((s) => s.lang === lang) || this.closed) return;
    const slot = await this.spawn(lang);
    if (this.closed) { void slot.core.terminate(); return; }
    this.slots.push(slot);
    this.pump();
  }

  recognize(image: Uint8Array, lang: OcrLang, info: { width: number; height: number }, opts: { psm?: PsmMode; rotateAuto?: boolean; maxPixels?: number; timeoutMs?: number } = {}): Promise<OcrPage> {
    if (this.closed) return Promise.reject(new Error('OCR engine is closed'));
    return new Promise<OcrPage>((resolve, reject) => {
      this.queue.push({
        lang, psm: opts.psm ?? this.psm, image, rotateAuto: opts.rotateAuto ?? true, maxPixels: opts.maxPixels ?? 0,
        pixels: info.width * info.height, timeoutMs: opts.timeoutMs ?? this.opts.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
        resolve: (p) => resolve({ ...p, width: p.width || info.width, height: p.height || info.height }), reject,
      });
      this.pump();
    });
  }

  private async init(core: CoreWorker, lang: OcrLang): Promise<void> {
    corePathP ??= corePath();
    const files = langFiles(lang, this.opts.models);
    await core.call({ type: 'init', corePath: await corePathP, langs: files.map((f) => ({ code: f.code, file: f.file })), lang, params: { ...this.params, tessedit_pageseg_mode: this.psm } });
    this.log(`ocr: worker ${lang} (${files.map((f) => `${f.code} ${f.model}`).join(', ')})`);
  }

  private async spawn(lang: OcrLang): Promise<Slot> {
    const t0 = Date.now();
    const core = new CoreWorker();
    try {
      await this.init(core, lang);
    } catch (e) {
      void core.terminate();
      throw e;
    }
    this.log(`ocr: worker ${lang} ready in ${Date.now() - t0} ms`);
    return { core, lang, busy: false };
  }

  private pump(): void {
    for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i]!.core.exited && !this.slots[i]!.busy) this.slots.splice(i, 1);
    while (this.queue.length && !this.closed) {
      const job = this.queue[0]!;
      let slot = this.slots.find((s) => !s.busy && s.lang === job.lang);
      if (!slot) {
        if (this.slots.length + this.starting.size < this.size) {
          const p = this.spawn(job.lang);
          this.starting.add(p);
          p.then((s) => { this.starting.delete(p); if (this.closed) { void s.core.terminate(); return; } this.slots.push(s); this.pump(); },
            (e: Error) => { this.starting.delete(p); const j = this.queue.shift(); j?.reject(e); this.pump(); });
          return;
        }
        const idle = this.slots.find((s) => !s.busy);
        if (!idle) return;
        // Re-initialise an idle worker of another language instead of growing the pool.
        idle.busy = true;
        this.queue.shift();
        const from = idle.lang;
        this.init(idle.core, job.lang)
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
      const call = slot.core.call<WorkerPage>({ type: 'recognize', image: job.image, opts: { ...this.recognizeOpts, psm: job.psm, deskew: job.rotateAuto, maxPixels: job.maxPixels } });
      const r = await withTimeLimit(call, job.timeoutMs, () => this.retire(slot, 'timed out'));
      this.lastStages = r.ms;
      job.resolve(pageFromTesseract(r, job.lang, r.width, r.height));
      // WebAssembly memory never shrinks: a worker that held a huge image hands its memory back by ending.
      if (job.pixels > (this.opts.recycleAbovePixels ?? DEFAULT_RECYCLE_ABOVE_PIXELS)) this.retire(slot, `read ${job.pixels} px`);
    } catch (e) {
      if (slot.core.exited && !(e instanceof ImageError) && (e as { code?: string }).code !== 'ocr_timeout') {
        this.retire(slot, 'crashed');
        job.reject(crashed(e instanceof Error ? e.message : String(e)));
      } else {
        job.reject(e instanceof Error ? e : new Error(String(e)));
      }
    } finally {
      slot.busy = false;
      this.pump();
    }
  }

  /** End a worker and drop it from the pool; the next job that needs one starts a fresh worker. */
  private retire(slot: Slot, why: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    slot.core.exited = true;
    void slot.core.terminate();
    this.recycled++;
    this.log(`ocr: worker ${slot.lang} replaced (${why})`);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new Error('OCR engine is closed'));
    await Promise.allSettled([...this.starting]);
    await Promise.allSettled(this.slots.splice(0).map((s) => s.core.terminate()));
  }
}
