/**
 * Text normalisation for OCR lines: NFKC (full-width digits and letters to
 * ASCII, ￥ to ¥), and a joined line string that remembers which word each
 * character came from, so a value found by a regex maps back to its boxes.
 */
import type { Box, OcrLine, OcrWord } from './types';
import { unionBox } from './types';

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヶ]/;

export function normalizeText(s: string): string {
  return s.normalize('NFKC')
    .replace(/[‐‑‒–—―−ー](?=\d)/g, (m, off, str: string) => (/\d/.test(str[off - 1] ?? '') || /\s/.test(str[off - 1] ?? '') ? '-' : m))
    .replace(/[“”]/g, '"').replace(/[‘’]/g, "'");
}

export const isCjk = (ch: string | undefined) => !!ch && CJK.test(ch);

export interface JoinedLine {
  text: string;
  /** For each char of text: the index of its word, or -1 for a separator. */
  owner: number[];
  words: OcrWord[];
  line: OcrLine;
  index: number;
}

/** Join a line's words: a space between words, none between two CJK words (tesseract splits Japanese into runs). */
export function joinLine(line: OcrLine, index: number): JoinedLine {
  let text = '';
  const owner: number[] = [];
  const words = line.words.map((w) => ({ ...w, text: normalizeText(w.text) }));
  words.forEach((w, wi) => {
    if (wi > 0) {
      const prev = text[text.length - 1];
      if (!(isCjk(prev) && isCjk(w.text[0]))) { text += ' '; owner.push(-1); }
    }
    for (const ch of w.text) { text += ch; for (let k = 0; k < ch.length; k++) owner.push(wi); }
  });
  return { text, owner, words, line, index };
}

/** Boxes of the words covering text[start, end). */
export function boxOf(j: JoinedLine, start: number, end: number): Box | null {
  const idx = new Set<number>();
  for (let i = Math.max(0, start); i < Math.min(end, j.owner.length); i++) if (j.owner[i]! >= 0) idx.add(j.owner[i]!);
  return unionBox([...idx].map((i) => j.words[i]!.box));
}

/** Mean confidence of the words covering text[start, end). */
export function confOf(j: JoinedLine, start: number, end: number): number {
  const idx = new Set<number>();
  for (let i = Math.max(0, start); i < Math.min(end, j.owner.length); i++) if (j.owner[i]! >= 0) idx.add(j.owner[i]!);
  const cs = [...idx].map((i) => j.words[i]!.confidence);
  return cs.length ? cs.reduce((a, b) => a + b, 0) / cs.length : j.line.confidence;
}

/** Label text for matching: lower case, same length as the line (positions map back to words). */
export const labelKey = (s: string) => s.toLowerCase();
