/**
 * One PP-OCR worker thread: onnxruntime-node sessions for detection and
 * recognition (one intra-op thread each: the pool gives parallelism across
 * pages, and a thread per core is what the machine has), fed and read by the
 * glue in core.ts. Decoding and resizing happen in main with sharp (off the
 * JS thread, in libuv's pool); this thread gets raw RGB pixels.
 *
 * ppocrWorkerMain must stay self-contained (serialised with toString() and
 * run with `eval: true`, like the tesseract worker), and receives the core.
 */
import type { DetOptions, PpocrCore, Quad } from './core';
import { ppocrCore } from './core';

export interface PpocrInit {
  type: 'init';
  id: number;
  ortPath: string;
  detModel: string;
  recModel: string;
  dictPath: string;
  threads: number;
}

export interface PpocrRecognizeOpts extends DetOptions {
  /** Recognition batch size (crops of similar width run together). */
  batch: number;
  /** Widest crop (px at 48 px height); longer lines are squeezed. */
  maxCropW: number;
  /** Skip boxes whose recognised confidence is below this. */
  minRecConf: number;
  /** Width factor of the crops given to the recogniser (1 = natural aspect). */
  squeeze: number;
}

export interface PpocrRecognize {
  type: 'recognize';
  id: number;
  /** Full-resolution pixels (the still's own, or capped), RGB interleaved. */
  rgb: Uint8Array; width: number; height: number; channels: number;
  /** The same image at the detection size. */
  det: Uint8Array; detW: number; detH: number;
  opts: PpocrRecognizeOpts;
}

/** Finish what is running, release the sessions and end the thread (see PpWorker.stop in engine.ts). */
export interface PpocrStop { type: 'stop'; id: number }

export type PpocrRequest = PpocrInit | PpocrRecognize | PpocrStop;

export interface PpocrWord { text: string; confidence: number; box: { x: number; y: number; w: number; h: number } }
export interface PpocrSegment { text: string; confidence: number; quad: Quad['pts']; words: PpocrWord[] }
export interface PpocrResult { segments: PpocrSegment[]; ms: Record<string, number> }

/* eslint-disable @typescript-eslint/no-explicit-any */
export function ppocrWorkerMain(core: PpocrCore): void {
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  const fs = require('node:fs') as typeof import('node:fs');
  const port = parentPort!;
  let ort: any = null;
  let det: any = null;
  let rec: any = null;
  let dict: string[] = [];
  // A stop asked for: the running page ends at its next step (no new native call starts).
  let stopping = false;
  let running: Promise<unknown> = Promise.resolve();
  const stopped = () => Object.assign(new Error('OCR worker stopping'), { code: 'stopping' });

  async function init(m: PpocrInit): Promise<void> {
    ort = require(m.ortPath);
    const so = { intraOpNumThreads: m.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' };
    for (const f of [m.detModel, m.recModel, m.dictPath]) {
      if (!fs.existsSync(f)) throw Object.assign(new Error(`OCR model file missing: ${f}`), { code: 'model_missing' });
    }
    det = await ort.InferenceSession.create(m.detModel, so);
    rec = await ort.InferenceSession.create(m.recModel, so);
    // The recogniser's classes: blank, the dictionary's characters, then a space.
    dict = fs.readFileSync(m.dictPath, 'utf8').split(/\r?\n/).filter((l, i, a) => l !== '' || i < a.length - 1);
    dict.push(' ');
  }

  async function recognize(m: PpocrRecognize): Promise<PpocrResult> {
    const ms: Record<string, number> = {};
    let t = performance.now();
    const mark = (k: string) => { const n = performance.now(); ms[k] = Math.round((ms[k] ?? 0) + n - t); t = n; };
    const input = core.detInput(m.det, m.detW, m.detH, m.channels);
    mark('detPrep');
    if (stopping) throw stopped();
    const out = await det.run({ [det.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, m.detH, m.detW]) });
    const probT = out[det.outputNames[0]];
    mark('det');
    const quads = core.dbBoxes(probT.data as Float32Array, m.detW, m.detH, m.width, m.height, m.opts);
    mark('dbPost');
    const crops = quads.map((q) => ({ q, ...core.cropLine(m.rgb, m.width, m.height, m.channels, q, m.opts.maxCropW, m.opts.squeeze) }));
    ms.cols = crops.reduce((a, c) => a + c.w, 0);
    mark('crop');
    // Batches of similar width, so little of each batch is padding.
    const order = crops.map((_, i) => i).sort((a, b) => crops[a]!.w - crops[b]!.w);
    const segs: Array<PpocrSegment | null> = new Array(crops.length).fill(null);
    for (let s = 0; s < order.length; s += m.opts.batch) {
      if (stopping) throw stopped();
      const idx = order.slice(s, s + m.opts.batch);
      const batch = idx.map((i) => crops[i]!);
      const width = Math.max(...batch.map((c) => c.w));
      const tensor = new ort.Tensor('float32', core.recBatch(batch, width), [batch.length, 3, core.REC_H, width]);
      const r = await rec.run({ [rec.inputNames[0]]: tensor });
      const o = r[rec.outputNames[0]];
      const [, T, C] = o.dims as number[];
      idx.forEach((ci, k) => {
        const c = crops[ci]!;
        const d = core.ctcDecode(o.data as Float32Array, k, T!, C!, dict, width, c.w);
        if (!d.text.trim() || d.confidence < m.opts.minRecConf) return;
        // Words: runs of non-space characters, each boxed by where its characters were read.
        const words: PpocrWord[] = [];
        let i = 0;
        const chars = [...d.text];
        while (i < chars.length) {
          if (chars[i] === ' ') { i++; continue; }
          let j = i;
          while (j < chars.length && chars[j] !== ' ') j++;
          const xa = d.spans[i]![0], xb = d.spans[j - 1]![1];
          const pts = [core.along(c.q, c.w, xa, 0), core.along(c.q, c.w, xb, 0), core.along(c.q, c.w, xb, 1), core.along(c.q, c.w, xa, 1)];
          const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
          const x = Math.floor(Math.min(...xs)), y = Math.floor(Math.min(...ys));
          let conf = 0;
          for (let k2 = i; k2 < j; k2++) conf += d.probs[k2]!;
          words.push({ text: chars.slice(i, j).join(''), confidence: conf / (j - i), box: { x, y, w: Math.ceil(Math.max(...xs)) - x, h: Math.ceil(Math.max(...ys)) - y } });
          i = j;
        }
        segs[ci] = { text: d.text.trim(), confidence: d.confidence, quad: c.q.pts, words };
      });
    }
    mark('rec');
    return { segments: segs.filter((x): x is PpocrSegment => !!x), ms };
  }

  port.on('message', async (m: PpocrRequest) => {
    if (m.type === 'stop') {
      // Never end this thread from outside while onnxruntime runs: its binding throws a C++
      // exception into a terminating isolate and aborts the whole process. Let the native
      // work finish, release the sessions, then close the port so the thread ends by itself.
      stopping = true;
      await running.catch(() => {});
      for (const sess of [det, rec]) { try { await sess?.release?.(); } catch { /* already gone */ } }
      det = rec = null;
      port.close();
      return;
    }
    const job = m.type === 'init' ? init(m) : recognize(m);
    running = job;
    try {
      const value = await job;
      port.postMessage({ id: m.id, ok: true, value: value ?? null });
    } catch (e) {
      const err = e as Error & { code?: string };
      port.postMessage({ id: m.id, ok: false, error: err?.message ?? String(e), ...(err?.code ? { code: err.code } : {}) });
    }
  });
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export const PPOCR_WORKER_SOURCE = `const __name = (f) => f;\nconst core = (${ppocrCore.toString()})();\n(${ppocrWorkerMain.toString()})(core);\n`;
