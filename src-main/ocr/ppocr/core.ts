/**
 * Our own glue around the PP-OCRv4 detection and recognition networks (run
 * by onnxruntime-node): the pixel work before and after each network, in
 * plain TypeScript with no imports.
 *
 *  - detection input: BGR, ImageNet mean/std, CHW, sides multiples of 32;
 *  - DB post-processing: threshold the probability map, connected
 *    components (BFS, so each component's pixels are contiguous), an
 *    oriented rectangle per component from its second moments (text lines are
 *    long and thin, so the principal axis is the baseline), mean probability
 *    as the box score, "unclip" (grow by area × ratio / perimeter, as DB does);
 *  - crops: each oriented box sampled (bilinear, supersampled when shrinking)
 *    from the full-resolution image straight to the recogniser's 48-px height;
 *  - recognition input: (v/255 − 0.5)/0.5, BGR, a batch padded to its widest;
 *  - CTC greedy decode, keeping where each character was read (its time step),
 *    so a word's box — and a card number's pixels — are known to the character.
 *
 * ppocrCore must stay self-contained: the worker thread runs it from its
 * source text (see worker.ts), and the unit tests call it directly.
 */

export interface Quad {
  /** Corners in the full image's pixels: top-left, top-right, bottom-right, bottom-left (reading direction). */
  pts: [number, number, number, number, number, number, number, number];
  /** Mean detection probability inside the component. */
  score: number;
}

export interface Crop { data: Float32Array; w: number; quad: Quad }

export interface DecodedText {
  text: string;
  confidence: number;
  /** For each character of text: [start, end) x in the crop's own pixels. */
  spans: Array<[number, number]>;
  /** Per-character probability. */
  probs: number[];
}

export interface DetOptions { thresh: number; boxThresh: number; unclip: number; minSize: number; maxCandidates: number }

export function ppocrCore() {
  const MEAN = [0.485, 0.456, 0.406], STD = [0.229, 0.224, 0.225];
  /** The recogniser's input height: PP-OCRv4's model takes 48 only. */
  const REC_H = 48;

  /** Detection size for an image: longest side at most maxSide (and at least 32), both sides multiples of 32. */
  function detSize(w: number, h: number, maxSide: number): { w: number; h: number } {
    const r = Math.min(1, maxSide / Math.max(w, h));
    return { w: Math.max(32, Math.round((w * r) / 32) * 32), h: Math.max(32, Math.round((h * r) / 32) * 32) };
  }

  /** RGB (interleaved, already at the detection size) → normalised BGR planes, CHW. */
  function detInput(rgb: Uint8Array, w: number, h: number, channels: number): Float32Array {
    const n = w * h;
    const out = new Float32Array(3 * n);
    // Paddle reads BGR and applies the mean/std in that channel order.
    const k0 = 1 / (255 * STD[0]!), k1 = 1 / (255 * STD[1]!), k2 = 1 / (255 * STD[2]!);
    const m0 = MEAN[0]! / STD[0]!, m1 = MEAN[1]! / STD[1]!, m2 = MEAN[2]! / STD[2]!;
    for (let i = 0, s = 0; i < n; i++, s += channels) {
      out[i] = rgb[s + 2]! * k0 - m0;
      out[n + i] = rgb[s + 1]! * k1 - m1;
      out[2 * n + i] = rgb[s]! * k2 - m2;
    }
    return out;
  }

  /**
   * DB post-processing on a probability map of mw × mh, boxes scaled to an image of W × H.
   * Returns quads in reading order (top to bottom, then left to right).
   */
  function dbBoxes(prob: Float32Array, mw: number, mh: number, W: number, H: number, o: DetOptions): Quad[] {
    const n = mw * mh;
    const label = new Int32Array(n);
    const queue = new Int32Array(n);
    const quads: Quad[] = [];
    const sx = W / mw, sy = H / mh;
    let qEnd = 0;
    let comp = 0;
    for (let start = 0; start < n; start++) {
      if (label[start] !== 0 || prob[start]! <= o.thresh) continue;
      comp++;
      const q0 = qEnd;
      queue[qEnd++] = start;
      label[start] = comp;
      for (let qi = q0; qi < qEnd; qi++) {
        const p = queue[qi]!;
        const x = p % mw, y = (p - x) / mw;
        // 8-connectivity, as findContours groups pixels.
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= mh) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= mw || (dx === 0 && dy === 0)) continue;
            const np = yy * mw + xx;
            if (label[np] === 0 && prob[np]! > o.thresh) { label[np] = comp; queue[qEnd++] = np; }
          }
        }
      }
      const cnt = qEnd - q0;
      if (cnt < o.minSize * o.minSize) continue;
      let sum = 0, mx = 0, my = 0;
      for (let qi = q0; qi < qEnd; qi++) { const p = queue[qi]!; const x = p % mw; mx += x; my += (p - x) / mw; sum += prob[p]!; }
      const score = sum / cnt;
      if (score < o.boxThresh) continue;
      mx /= cnt; my /= cnt;
      let cxx = 0, cyy = 0, cxy = 0;
      for (let qi = q0; qi < qEnd; qi++) { const p = queue[qi]!; const x = p % mw - mx, y = (p - (p % mw)) / mw - my; cxx += x * x; cyy += y * y; cxy += x * y; }
      let th = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
      // Text reads left to right: keep the axis nearer to horizontal as the baseline.
      if (th > Math.PI / 4) th -= Math.PI / 2;
      else if (th < -Math.PI / 4) th += Math.PI / 2;
      const c = Math.cos(th), s = Math.sin(th);
      let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
      for (let qi = q0; qi < qEnd; qi++) {
        const p = queue[qi]!; const x = p % mw - mx, y = (p - (p % mw)) / mw - my;
        const u = x * c + y * s, v = -x * s + y * c;
        if (u < u0) u0 = u; if (u > u1) u1 = u; if (v < v0) v0 = v; if (v > v1) v1 = v;
      }
      // Pixel extents: each pixel covers ±0.5.
      u0 -= 0.5; u1 += 0.5; v0 -= 0.5; v1 += 0.5;
      const bw = u1 - u0, bh = v1 - v0;
      if (Math.min(bw, bh) < o.minSize) continue;
      const d = (bw * bh * o.unclip) / (2 * (bw + bh));
      u0 -= d; u1 += d; v0 -= d; v1 += d;
      const corner = (u: number, v: number): [number, number] => {
        const x = mx + 0.5 + u * c - v * s, y = my + 0.5 + u * s + v * c;
        return [Math.max(0, Math.min(W, x * sx)), Math.max(0, Math.min(H, y * sy))];
      };
      const a = corner(u0, v0), b = corner(u1, v0), e = corner(u1, v1), f = corner(u0, v1);
      quads.push({ pts: [a[0], a[1], b[0], b[1], e[0], e[1], f[0], f[1]], score });
      if (quads.length >= o.maxCandidates) break;
    }
    return sortQuads(quads);
  }

  /** Reading order: by the top edge's centre, rows first (PaddleOCR's sorted_boxes, with a row tolerance of half a box). */
  function sortQuads(qs: Quad[]): Quad[] {
    const cy = (q: Quad) => (q.pts[1] + q.pts[3] + q.pts[5] + q.pts[7]) / 4;
    const hh = (q: Quad) => Math.abs(q.pts[7] - q.pts[1]);
    const sorted = [...qs].sort((a, b) => cy(a) - cy(b));
    for (let i = 1; i < sorted.length; i++) {
      for (let j = i; j > 0; j--) {
        const A = sorted[j - 1]!, B = sorted[j]!;
        if (Math.abs(cy(A) - cy(B)) < 0.5 * Math.min(hh(A), hh(B)) && B.pts[0] < A.pts[0]) { sorted[j - 1] = B; sorted[j] = A; } else break;
      }
    }
    return sorted;
  }

  /**
   * The quad's pixels, upright, at REC_H rows, straight from the full image (RGB interleaved),
   * normalised for the recogniser into planes of width `w` (the caller pads the batch). `squeeze` < 1
   * narrows the line: the recogniser's cost is linear in width, and it was trained on lines squeezed
   * into 320 px, so it reads condensed text (the factor is measured in docs/OCR.md).
   */
  function cropLine(rgb: Uint8Array, W: number, H: number, channels: number, q: Quad, maxW: number, squeeze = 1): { pix: Float32Array; w: number } {
    const [x0, y0, x1, y1, , , x3, y3] = q.pts;
    const len = Math.hypot(x1 - x0, y1 - y0), ht = Math.max(1, Math.hypot(x3 - x0, y3 - y0));
    const w = Math.max(8, Math.min(maxW, Math.round((REC_H * len * squeeze) / ht)));
    const ux = (x1 - x0) / w, uy = (y1 - y0) / w, vx = (x3 - x0) / REC_H, vy = (y3 - y0) / REC_H;
    // Supersample when a source pixel step is over 1.5 output pixels (big text), so strokes are averaged, not skipped.
    const ss = Math.max(1, Math.min(4, Math.ceil(Math.max(Math.hypot(ux, uy), Math.hypot(vx, vy)) / 1.5)));
    const n = w * REC_H;
    const pix = new Float32Array(3 * n);
    const inv = 1 / (ss * ss);
    for (let oy = 0; oy < REC_H; oy++) {
      for (let ox = 0; ox < w; ox++) {
        let r = 0, g = 0, bl = 0;
        for (let a = 0; a < ss; a++) for (let bb = 0; bb < ss; bb++) {
          const fx = ox + (bb + 0.5) / ss, fy = oy + (a + 0.5) / ss;
          const X = x0 + ux * fx + vx * fy - 0.5, Y = y0 + uy * fx + vy * fy - 0.5;
          const xi = Math.floor(X), yi = Math.floor(Y), ax = X - xi, ay = Y - yi;
          const xa = Math.max(0, Math.min(W - 1, xi)), xb = Math.max(0, Math.min(W - 1, xi + 1));
          const ya = Math.max(0, Math.min(H - 1, yi)), yb = Math.max(0, Math.min(H - 1, yi + 1));
          const p00 = (ya * W + xa) * channels, p01 = (ya * W + xb) * channels, p10 = (yb * W + xa) * channels, p11 = (yb * W + xb) * channels;
          const w00 = (1 - ax) * (1 - ay), w01 = ax * (1 - ay), w10 = (1 - ax) * ay, w11 = ax * ay;
          r += rgb[p00]! * w00 + rgb[p01]! * w01 + rgb[p10]! * w10 + rgb[p11]! * w11;
          g += rgb[p00 + 1]! * w00 + rgb[p01 + 1]! * w01 + rgb[p10 + 1]! * w10 + rgb[p11 + 1]! * w11;
          bl += rgb[p00 + 2]! * w00 + rgb[p01 + 2]! * w01 + rgb[p10 + 2]! * w10 + rgb[p11 + 2]! * w11;
        }
        const i = oy * w + ox;
        pix[i] = (bl * inv) / 127.5 - 1;
        pix[n + i] = (g * inv) / 127.5 - 1;
        pix[2 * n + i] = (r * inv) / 127.5 - 1;
      }
    }
    return { pix, w };
  }

  /** A batch of crops as one [n, 3, 48, width] tensor, zero-padded on the right. */
  function recBatch(crops: Array<{ pix: Float32Array; w: number }>, width: number): Float32Array {
    const out = new Float32Array(crops.length * 3 * REC_H * width);
    crops.forEach((c, k) => {
      for (let ch = 0; ch < 3; ch++) for (let y = 0; y < REC_H; y++) {
        const src = (ch * REC_H + y) * c.w, dst = ((k * 3 + ch) * REC_H + y) * width;
        out.set(c.pix.subarray(src, src + c.w), dst);
      }
    });
    return out;
  }

  /** CTC greedy decode of one item of a [n, T, C] softmax output; class 0 is the blank, class k is dict[k − 1]. */
  function ctcDecode(probs: Float32Array, item: number, T: number, C: number, dict: string[], inputW: number, cropW: number): DecodedText {
    let text = '';
    const spans: Array<[number, number]> = [];
    const ps: number[] = [];
    const step = inputW / T;
    let prev = 0;
    let sum = 0;
    for (let t = 0; t < T; t++) {
      const base = (item * T + t) * C;
      let best = 0, bp = probs[base]!;
      for (let k = 1; k < C; k++) { const v = probs[base + k]!; if (v > bp) { bp = v; best = k; } }
      if (best !== 0 && best !== prev) {
        const ch = dict[best - 1] ?? '';
        const x0 = Math.max(0, Math.min(cropW, (t - 0.5) * step)), x1 = Math.max(0, Math.min(cropW, (t + 1.5) * step));
        text += ch; spans.push([x0, x1]); ps.push(bp); sum += bp;
      } else if (best !== 0 && best === prev && spans.length) {
        // The same character held over several steps: it extends to the right.
        const last = spans[spans.length - 1]!;
        last[1] = Math.max(0, Math.min(cropW, (t + 1.5) * step));
      }
      prev = best;
    }
    return withGapSpaces({ text, confidence: ps.length ? sum / ps.length : 0, spans, probs: ps }, step);
  }

  /**
   * The Chinese-trained recogniser seldom emits a space between Latin words ("TAXINVOICE"). Where two
   * characters stand much further apart than the line's usual pitch, a space is put in (its span empty,
   * its probability that of its neighbours).
   */
  function withGapSpaces(d: DecodedText, step: number): DecodedText {
    const chars = [...d.text];
    if (chars.length < 3) return d;
    const centre = (i: number) => (d.spans[i]![0] + d.spans[i]![1]) / 2;
    const pitches: number[] = [];
    for (let i = 1; i < chars.length; i++) if (chars[i] !== ' ' && chars[i - 1] !== ' ') pitches.push(centre(i) - centre(i - 1));
    if (pitches.length < 2) return d;
    const sorted = [...pitches].sort((a, b) => a - b);
    const pitch = Math.max(step * 1.5, sorted[sorted.length >> 1]!);
    let text = chars[0]!;
    const spans: Array<[number, number]> = [d.spans[0]!];
    const probs: number[] = [d.probs[0]!];
    for (let i = 1; i < chars.length; i++) {
      // Not between two digits: there a wide gap is a faded decimal point or a grouping, never a word break.
      const digits = /\d/.test(chars[i]!) && /\d/.test(chars[i - 1]!);
      if (!digits && chars[i] !== ' ' && chars[i - 1] !== ' ' && centre(i) - centre(i - 1) > 1.8 * pitch) {
        const x = (d.spans[i - 1]![1] + d.spans[i]![0]) / 2;
        text += ' '; spans.push([x, x]); probs.push(Math.min(d.probs[i - 1]!, d.probs[i]!));
      }
      text += chars[i]; spans.push(d.spans[i]!); probs.push(d.probs[i]!);
    }
    return { text, confidence: d.confidence, spans, probs };
  }

  /** A point at crop x (0..cropW) and relative height v (0 top, 1 bottom) in image coordinates. */
  function along(q: Quad, cropW: number, x: number, v: number): [number, number] {
    const [x0, y0, x1, y1, , , x3, y3] = q.pts;
    const u = x / cropW;
    return [x0 + (x1 - x0) * u + (x3 - x0) * v, y0 + (y1 - y0) * u + (y3 - y0) * v];
  }

  return { REC_H, detSize, detInput, dbBoxes, sortQuads, cropLine, recBatch, ctcDecode, along };
}

export type PpocrCore = ReturnType<typeof ppocrCore>;
