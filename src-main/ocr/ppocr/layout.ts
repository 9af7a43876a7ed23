/**
 * From PP-OCR's text boxes to the page's rows. The detector finds each run
 * of text on its own (a receipt's "TOTAL" at the left and "11.60" at the right
 * margin are two boxes); a bill is read by rows, so boxes are grouped by their
 * vertical overlap along the page's own skew (the median angle of the
 * boxes), and each row lists its words left to right with their gaps kept
 * in their boxes. The extractor then pairs a label with the value across its
 * row.
 */
import type { Box, OcrLine, OcrPage, OcrWord } from '../../bills/types';
import { unionBox } from '../../bills/types';
import type { PpocrSegment } from './worker';

interface Placed { seg: PpocrSegment; u: number; v: number; h: number; u1: number }

export function rowsFromSegments(segments: PpocrSegment[], width: number, height: number, lang: string): OcrPage {
  if (!segments.length) return { width, height, lang, text: '', lines: [] };
  // The page's skew: the median baseline angle, weighted by nothing (short boxes are noisy, but many).
  const angles = segments.map((s) => Math.atan2(s.quad[3] - s.quad[1], s.quad[2] - s.quad[0])).sort((a, b) => a - b);
  const a = angles[angles.length >> 1]!;
  const c = Math.cos(a), sn = Math.sin(a);
  const placed: Placed[] = segments.map((seg) => {
    const q = seg.quad;
    const cx = (q[0] + q[2] + q[4] + q[6]) / 4, cy = (q[1] + q[3] + q[5] + q[7]) / 4;
    const h = (Math.hypot(q[6] - q[0], q[7] - q[1]) + Math.hypot(q[4] - q[2], q[5] - q[3])) / 2;
    const len = (Math.hypot(q[2] - q[0], q[3] - q[1]) + Math.hypot(q[4] - q[6], q[5] - q[7])) / 2;
    const u = cx * c + cy * sn, v = -cx * sn + cy * c;
    return { seg, u: u - len / 2, u1: u + len / 2, v, h };
  }).sort((p, q) => p.v - q.v);
  const rows: Placed[][] = [];
  for (const p of placed) {
    let best: { row: Placed[]; d: number } | null = null;
    for (const row of rows.slice(-6)) {
      const v = row.reduce((s, r) => s + r.v, 0) / row.length;
      const h = Math.min(p.h, Math.min(...row.map((r) => r.h)));
      const d = Math.abs(p.v - v);
      // Same row: centres within 40 % of the smaller height, and no horizontal overlap with a member.
      if (d > 0.4 * h) continue;
      if (row.some((r) => p.u < r.u1 - 0.2 * h && r.u < p.u1 - 0.2 * h)) continue;
      if (!best || d < best.d) best = { row, d };
    }
    if (best) best.row.push(p);
    else rows.push([p]);
  }
  const lines: OcrLine[] = rows.map((row) => {
    row.sort((p, q) => p.u - q.u);
    const words: OcrWord[] = row.flatMap((p) => p.seg.words.map((w) => ({ text: w.text, box: w.box, confidence: w.confidence })));
    const box = unionBox(words.map((w) => w.box)) as Box;
    const n = words.reduce((s, w) => s + w.text.length, 0);
    const confidence = n ? words.reduce((s, w) => s + w.confidence * w.text.length, 0) / n : 0;
    return { text: words.map((w) => w.text).join(' '), box, confidence, words };
  }).filter((l) => l.words.length);
  return { width, height, lang, text: lines.map((l) => l.text).join('\n'), lines };
}
