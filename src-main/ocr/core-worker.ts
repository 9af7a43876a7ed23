/**
 * The code of one OCR worker thread: tesseract.js 7's WebAssembly core
 * (tesseract.js-core, the same build and the same core selection that
 * tesseract.js uses) driven directly, so that each page costs one decode and
 * one full-size layout pass. tesseract.js's own worker API takes
 * only encoded image files and, for deskew, decodes and lays out every page
 * twice; it cannot hand tesseract smaller pixels either (docs/PERFORMANCE.md
 * "## OCR" has the profile that led here).
 *
 * Per page:
 *  1. decode once (leptonica in the core) and convert to 8-bit grey in JS
 *     (tesseract's own weights; colour, grey, palette and 1-bit images),
 *     applying the EXIF orientation;
 *  2. layout (PSM 3, where tesseract measures skew, as tesseract.js's
 *     rotateAuto does) on a probe of at most probePixels: skew angle and
 *     median text-line height; the page itself when the probe's lines are too
 *     small to trust;
 *  3. if the text is larger than tesseract needs (phone photos: 12 MP of a
 *     bill), scale so the median line is TARGET_LINE_PX tall; if the page is
 *     skewed, rotate it (tesseract.js's deskew); then lay out in the wanted
 *     mode (PSM 4) and recognise, once. A pixel cap (maxPixels, the app's
     MAX_OCR_PIXELS) only lowers that one scale: a still is never resized twice.
 * Pixels go to tesseract as a PGM file (read without decompression).
 *
 * workerMain must stay self-contained: it is serialised with toString() and
 * run with `eval: true`, which works the same under tsx, vitest and the
 * esbuild bundle of the Electron main process (a separate worker file would
 * need its own entry in every one of them).
 */

/** Messages into the worker. */
export type WorkerRequest =
  | { type: 'init'; id: number; corePath: string; langs: Array<{ code: string; file: string }>; lang: string; params: Record<string, string> }
  | { type: 'recognize'; id: number; image: Uint8Array; opts: RecognizeOpts };

export interface RecognizeOpts {
  psm: string;
  /** Rotate a skewed page upright before recognition (tesseract.js's rotateAuto). */
  deskew: boolean;
  /** Median text-line height (px) to scale large text down to; 0 = never scale. */
  targetLinePx: number;
  /** Largest probe used to measure skew and text size. */
  probePixels: number;
  /** Page segmentation mode whose layout gives the skew angle ('3': tesseract.js's choice). */
  anglePsm: string;
  /** Most pixels tesseract is given (the app's MAX_OCR_PIXELS); 0 = no cap. A bound on the one scale step, not a second resize. */
  maxPixels: number;
}

export interface WorkerWord { text: string; confidence: number; bbox: { x0: number; y0: number; x1: number; y1: number } }
export interface WorkerLine extends WorkerWord { words: WorkerWord[] }
export interface WorkerPage {
  /** Lines in the coordinates of the original (oriented) image. */
  lines: WorkerLine[];
  text: string;
  /** Oriented size of the original image. */
  width: number;
  height: number;
  /** Scale and rotation (radians) of the image tesseract read, relative to the original. */
  scale: number;
  angle: number;
  /** Milliseconds per stage, for profiling. */
  ms: Record<string, number>;
}

export type WorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string; code?: string };

/* eslint-disable @typescript-eslint/no-explicit-any */
export function workerMain(): void {
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  const fs = require('node:fs') as typeof import('node:fs');
  const zlib = require('node:zlib') as typeof import('node:zlib');
  const port = parentPort!;

  let T: any = null;
  // The WebAssembly global, typed here: the Electron glue's tsconfig (no DOM lib) has no WebAssembly types.
  interface WasmMemory { buffer: ArrayBuffer }
  const WA = (globalThis as unknown as { WebAssembly: {
    Memory: new (...a: never[]) => WasmMemory;
    RuntimeError: new (...a: never[]) => Error;
    instantiate(bytes: Uint8Array, imports: unknown): Promise<{ instance: { exports: Record<string, unknown> }; module: unknown }>;
  } }).WebAssembly;
  let memory: WasmMemory | null = null;
  let api: any = null;
  const loaded = new Set<string>();
  const now = () => performance.now();

  /** Load the core once; capture its memory so pixels can be read without copying through getValue. */
  async function loadCore(corePath: string): Promise<void> {
    if (T) return;
    const Core = require(corePath);
    const wasmPath = corePath.replace(/\.js$/, '.wasm');
    let failed: (e: unknown) => void = () => {};
    const failure = new Promise<never>((_, reject) => { failed = reject; });
    T = await Promise.race([failure, Core({
      TesseractProgress() { /* no progress messages: they cost a postMessage per percent */ },
      print() { /* tesseract's notices ("Estimating resolution…") are not errors */ },
      printErr() { /* idem */ },
      instantiateWasm(imports: Record<string, Record<string, unknown>>, done: (i: unknown, m: unknown) => void) {
        for (const ns of Object.values(imports)) for (const v of Object.values(ns)) if (v instanceof WA.Memory) memory = v;
        WA.instantiate(fs.readFileSync(wasmPath), imports).then(({ instance, module }) => {
          if (!memory) for (const v of Object.values(instance.exports)) if (v instanceof WA.Memory) memory = v;
          done(instance, module);
        }, (e: unknown) => failed(e));
        return {};
      },
    })]);
    if (!memory) throw new Error('tesseract core: WebAssembly memory not found');
    T.FS.mkdir('/tessdata');
    // Grow and touch the heap now, while warming, as far as a 12 MP photo needs (its 32-bit pixels plus
    // the file): the kernel's first-touch page faults cost the first such photo ~250 ms otherwise.
    const reserve = T._malloc(64 << 20);
    if (reserve) { new Uint8Array(memory.buffer, reserve, 64 << 20).fill(0); T._free(reserve); }
  }

  function init(langs: Array<{ code: string; file: string }>, lang: string, params: Record<string, string>): void {
    for (const l of langs) {
      if (loaded.has(l.code)) continue;
      let data: Uint8Array = fs.readFileSync(l.file);
      if (data[0] === 0x1f && data[1] === 0x8b) data = zlib.gunzipSync(data);
      T.FS.writeFile(`/tessdata/${l.code}.traineddata`, data);
      loaded.add(l.code);
    }
    if (api) { api.End(); T.destroy(api); }
    api = new T.TessBaseAPI();
    if (api.Init('/tessdata/', lang, 1) !== 0) throw new Error(`tesseract could not load ${lang}`);
    setParams(params);
  }

  function setParams(params: Record<string, string>): void {
    for (const [k, v] of Object.entries(params)) if (!api.SetVariable(k, v)) throw new Error(`unknown tesseract parameter ${k}`);
  }

  /** EXIF orientation (1..8) of a JPEG, 1 when absent. */
  function exifOrientation(b: Uint8Array): number {
    if (b[0] !== 0xff || b[1] !== 0xd8) return 1;
    let i = 2;
    while (i + 4 < b.length && b[i] === 0xff) {
      const marker = b[i + 1]!;
      const len = (b[i + 2]! << 8) | b[i + 3]!;
      if (marker === 0xe1 && b[i + 4] === 0x45 && b[i + 5] === 0x78 && b[i + 6] === 0x69 && b[i + 7] === 0x66) {
        const t = i + 10;
        const le = b[t] === 0x49;
        const u16 = (o: number) => (le ? b[t + o]! | (b[t + o + 1]! << 8) : (b[t + o]! << 8) | b[t + o + 1]!);
        const u32 = (o: number) => (le ? u16(o) + u16(o + 2) * 65536 : u16(o) * 65536 + u16(o + 2));
        const ifd = u32(4);
        const n = u16(ifd);
        for (let k = 0; k < n; k++) {
          const e = ifd + 2 + k * 12;
          if (u16(e) === 0x0112) { const v = u16(e + 8); return v >= 1 && v <= 8 ? v : 1; }
        }
        return 1;
      }
      if (marker === 0xda) return 1;
      i += 2 + len;
    }
    return 1;
  }

  interface Grey { data: Uint8Array; w: number; h: number }

  /**
   * Decode with leptonica and convert to grey (0.3 R + 0.5 G + 0.2 B, tesseract's weights): 32-bit
   * colour, 8-bit grey, 1/2/4/8-bit palette and 1-bit images. Null for what is left to tesseract's
   * own reader (16-bit).
   */
  function decodeGrey(bytes: Uint8Array): Grey | null {
    const p = T._malloc(bytes.length);
    new Uint8Array(memory!.buffer).set(bytes, p);
    const pix = T._pixReadMem(p, bytes.length);
    T._free(p);
    if (!pix) throw Object.assign(new Error('the image could not be decoded'), { code: 'unsupported_image' });
    try {
      const buf = memory!.buffer;
      const hd = new Int32Array(buf, pix, 13);
      const w = hd[0]!, h = hd[1]!, d = hd[2]!, wpl = hd[4]!, cmap = hd[11]! >>> 0, dataPtr = hd[12]! >>> 0;
      if (d !== 32 && d !== 8 && d !== 4 && d !== 2 && d !== 1) return null;
      const words = new Uint32Array(buf, dataPtr, wpl * h);
      const out = new Uint8Array(w * h);
      if (d === 32) {
        // A 32-bit pixel is 0xRRGGBBAA.
        for (let y = 0; y < h; y++) {
          let s = y * wpl, o = y * w;
          const e = o + w;
          while (o < e) { const v = words[s++]!; out[o++] = ((v >>> 24) * 77 + ((v >>> 16) & 255) * 128 + ((v >>> 8) & 255) * 51 + 128) >>> 8; }
        }
        return { data: out, w, h };
      }
      // 1..8-bit pixels are packed most significant first in 32-bit words; a colour map turns them into grey.
      const levels = 1 << d;
      const lut = new Uint8Array(levels);
      if (cmap) {
        const cm = new Int32Array(buf, cmap, 4);
        const arr = cm[0]! >>> 0, n = Math.min(cm[3]!, levels);
        const q = new Uint8Array(buf, arr, n * 4); // RGBA_QUAD: blue, green, red, alpha
        for (let i = 0; i < n; i++) lut[i] = (q[i * 4 + 2]! * 77 + q[i * 4 + 1]! * 128 + q[i * 4]! * 51 + 128) >>> 8;
      } else if (d === 1) { lut[0] = 255; lut[1] = 0; } // leptonica: 1 is black
      else for (let i = 0; i < levels; i++) lut[i] = Math.round((i * 255) / (levels - 1));
      const mask = levels - 1;
      for (let y = 0; y < h; y++) {
        const row = y * wpl, o = y * w;
        for (let x = 0; x < w; x++) {
          const bit = x * d;
          out[o + x] = lut[(words[row + (bit >>> 5)]! >>> (32 - d - (bit & 31))) & mask]!;
        }
      }
      return { data: out, w, h };
    } finally {
      const pp = T._malloc(4);
      new Int32Array(memory!.buffer, pp, 1)[0] = pix;
      T._pixDestroy(pp);
      T._free(pp);
    }
  }

  /** Apply an EXIF orientation to a grey image. */
  function orient(g: Grey, o: number): Grey {
    if (o === 1) return g;
    const { w, h, data } = g;
    const swap = o >= 5;
    const W = swap ? h : w, H = swap ? w : h;
    const out = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      let sx: number, sy: number;
      switch (o) {
        case 2: sx = w - 1 - x; sy = y; break;
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;
        case 4: sx = x; sy = h - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = h - 1 - x; break;
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;
        default: sx = w - 1 - y; sy = x; break; // 8
      }
      out[y * W + x] = data[sy * w + sx]!;
    }
    return { data: out, w: W, h: H };
  }

  /** Halve both sides (2 x 2 average): the cheap first steps of a large reduction. */
  function halve(g: Grey): Grey {
    const W = g.w >> 1, H = g.h >> 1, src = g.data, w = g.w;
    const out = new Uint8Array(W * H);
    for (let Y = 0; Y < H; Y++) {
      let a = 2 * Y * w, b = a + w, o = Y * W;
      const e = o + W;
      while (o < e) { out[o++] = (src[a]! + src[a + 1]! + src[b]! + src[b + 1]! + 2) >> 2; a += 2; b += 2; }
    }
    return { data: out, w: W, h: H };
  }

  /** Area-average downscale by s (0 < s < 1): every source pixel counts once, so thin strokes fade rather than vanish. */
  function scaleGrey(g: Grey, s: number): Grey {
    const W0 = Math.max(1, Math.round(g.w * s)), H0 = Math.max(1, Math.round(g.h * s));
    while (g.w >= 2 * W0 && g.h >= 2 * H0) g = halve(g);
    if (g.w === W0 && g.h === H0) return g;
    const W = W0, H = H0;
    const xs = new Int32Array(W + 1), ys = new Int32Array(H + 1);
    for (let x = 0; x <= W; x++) xs[x] = Math.min(g.w, Math.round((x * g.w) / W));
    for (let y = 0; y <= H; y++) ys[y] = Math.min(g.h, Math.round((y * g.h) / H));
    const acc = new Uint32Array(W);
    const out = new Uint8Array(W * H);
    const src = g.data;
    for (let Y = 0; Y < H; Y++) {
      const y0 = ys[Y]!, y1 = Math.max(y0 + 1, ys[Y + 1]!);
      acc.fill(0);
      for (let y = y0; y < y1; y++) {
        const row = y * g.w;
        for (let X = 0; X < W; X++) {
          const b = xs[X + 1]!;
          let sum = 0;
          for (let x = xs[X]!; x < b; x++) sum += src[row + x]!;
          acc[X] = acc[X]! + sum;
        }
      }
      const o = Y * W, n = y1 - y0;
      for (let X = 0; X < W; X++) {
        const cnt = n * Math.max(1, xs[X + 1]! - xs[X]!);
        out[o + X] = ((acc[X]! + (cnt >> 1)) / cnt) | 0;
      }
    }
    return { data: out, w: W, h: H };
  }

  /** Hand a grey image to tesseract as a PGM file (tesseract.js's SetImageFile reads /input and can rotate it). */
  function setGrey(g: Grey, angle: number): void {
    const head = new TextEncoder().encode(`P5\n${g.w} ${g.h}\n255\n`);
    const file = new Uint8Array(head.length + g.data.length);
    file.set(head, 0);
    file.set(g.data, head.length);
    T.FS.writeFile('/input', file);
    if (api.SetImageFile(1, angle) === 1) throw new Error('tesseract could not read the page');
  }

  interface Layout { angle: number; lineH: number; lines: number }

  /** Layout only (no recognition): skew angle and median text-line height of the image set last. */
  function layout(): Layout {
    const it = api.AnalyseLayout();
    const angle = api.GetGradient ? api.GetGradient() : api.GetAngle();
    const hs: number[] = [];
    if (it && T.getPointer(it)) {
      const j = JSON.parse(api.GetJSONText() || '{}');
      for (const b of j.blocks ?? []) for (const p of b.paragraphs ?? []) for (const l of p.lines ?? []) hs.push(l.bbox.y1 - l.bbox.y0);
      T.destroy(it);
    }
    hs.sort((a, b) => a - b);
    return { angle, lineH: hs.length ? hs[hs.length >> 1]! : 0, lines: hs.length };
  }

  function recognize(bytes: Uint8Array, o: RecognizeOpts): WorkerPage {
    const ms: Record<string, number> = {};
    let t = now();
    const mark = (k: string) => { const n = now(); ms[k] = Math.round((ms[k] ?? 0) + n - t); t = n; };
    // tesseract measures the skew angle only in automatic page segmentation (PSM 3), as tesseract.js's rotateAuto relies on.
    const layoutPsm = o.deskew ? o.anglePsm : o.psm;
    const orientation = exifOrientation(bytes);
    const decoded = decodeGrey(bytes);
    mark('decode');
    let scale = 1, angle = 0, width = 0, height = 0;
    if (!decoded) {
      // 16-bit images: tesseract reads the file itself (no scaling; deskew as tesseract.js does it).
      T.FS.writeFile('/input', bytes);
      api.SetVariable('tessedit_pageseg_mode', layoutPsm);
      if (api.SetImageFile(orientation, 0) === 1) throw Object.assign(new Error('the image could not be decoded'), { code: 'unsupported_image' });
      if (o.deskew) {
        const a = layout().angle;
        angle = Math.abs(a) >= 0.005 ? a : 0;
        if (angle !== 0 || layoutPsm !== o.psm) { api.SetVariable('tessedit_pageseg_mode', o.psm); T.FS.writeFile('/input', bytes); api.SetImageFile(orientation, angle); }
      }
      mark('layout');
    } else {
      const g = orient(decoded, orientation);
      width = g.w; height = g.h;
      const probeScale = Math.min(1, Math.sqrt(o.probePixels / (g.w * g.h)));
      const probe = probeScale < 1 ? scaleGrey(g, probeScale) : g;
      mark('grey');
      let reuse = false;
      if (o.deskew || o.targetLinePx > 0) {
        api.SetVariable('tessedit_pageseg_mode', layoutPsm);
        setGrey(probe, 0);
        let l = layout();
        let at = probeScale;
        // Small print on a big page: in the probe its lines are too small to trust the angle. Measure on the page itself.
        if (probeScale < 1 && (l.lines < 3 || l.lineH < 12)) { setGrey(g, 0); l = layout(); at = 1; }
        mark('layout');
        const lineH = l.lineH / at;
        if (o.targetLinePx > 0 && l.lines >= 3 && lineH > o.targetLinePx / 0.85) scale = o.targetLinePx / lineH;
        if (o.deskew && Math.abs(l.angle) >= 0.005) angle = l.angle;
        // The layout just made is the page's own when nothing changes in between.
        reuse = at === 1 && scale === 1 && angle === 0 && layoutPsm === o.psm;
      }
      // The pixel cap only lowers the scale chosen for the text (large text is usually below it already): one resize, not two.
      if (o.maxPixels > 0 && g.w * g.h > o.maxPixels) { scale = Math.min(scale, Math.sqrt(o.maxPixels / (g.w * g.h))); reuse = false; }
      api.SetVariable('tessedit_pageseg_mode', o.psm);
      if (!reuse) { setGrey(scale < 1 ? scaleGrey(g, scale) : g, angle); mark('scale'); }
    }
    api.Recognize(null);
    mark('recognize');
    const j = JSON.parse(api.GetJSONText() || '{}');
    const text: string = api.GetUTF8Text() ?? '';
    const inv = 1 / scale;
    const box = (b: { x0: number; y0: number; x1: number; y1: number }) => (inv === 1 ? { x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 } : { x0: Math.round(b.x0 * inv), y0: Math.round(b.y0 * inv), x1: Math.round(b.x1 * inv), y1: Math.round(b.y1 * inv) });
    const lines: WorkerLine[] = [];
    for (const b of j.blocks ?? []) for (const p of b.paragraphs ?? []) for (const l of p.lines ?? []) {
      lines.push({ text: l.text ?? '', confidence: l.confidence, bbox: box(l.bbox), words: (l.words ?? []).map((w: WorkerWord) => ({ text: w.text, confidence: w.confidence, bbox: box(w.bbox) })) });
    }
    mark('output');
    return { lines, text, width, height, scale, angle, ms };
  }

  port.on('message', async (m: WorkerRequest) => {
    try {
      let value: unknown = null;
      if (m.type === 'init') { await loadCore(m.corePath); init(m.langs, m.lang, m.params); }
      else value = recognize(m.image, m.opts);
      port.postMessage({ id: m.id, ok: true, value } satisfies WorkerResponse);
    } catch (e) {
      const err = e as Error & { code?: string };
      port.postMessage({ id: m.id, ok: false, error: err?.message ?? String(e), ...(err?.code ? { code: err.code } : {}) } satisfies WorkerResponse);
      // An abort inside the WebAssembly core leaves it unusable: end this thread so the pool starts a fresh one.
      if (e instanceof WA.RuntimeError || /\bAborted\b/.test(String(err?.message))) setImmediate(() => process.exit(1));
    }
  });
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The worker's source for `new Worker(src, { eval: true })`; `__name` is the helper tsx/esbuild insert for function names. */
export const WORKER_SOURCE = `const __name = (f) => f;\n(${workerMain.toString()})();\n`;
