/**
 * Card numbers on an OCR page: where they are (which words, which boxes), so
 * that the pixels can be painted over before a still is stored, exported or
 * sent anywhere. Pure TypeScript (no image code here).
 *
 * A card number is 13-19 digits in any grouping (spaces, dashes, dots or
 * none) that pass Luhn, optionally with an expiry glued on ("…1111 12/27",
 * "…11111227"). Numbers grouped as cards are grouped (4-4-4-4, 4-6-5, 4-6-4,
 * 4-4-4-4-3) are taken even when Luhn fails by one misread digit: leaving a
 * card readable costs more than covering a number that only looked like one.
 * An ungrouped run that fails Luhn (a reference, a timestamp, an account
 * number) is left alone.
 */
import { joinLine } from './normalize';
import type { Box, OcrPage } from './types';
import { unionBox } from './types';

export interface CardHit {
  /** Index of the line in page.lines. */
  line: number;
  /** Indexes of the words (of that line) that carry its digits. */
  words: number[];
  /** The number's box (union of those words), in the still's pixels. */
  box: Box;
  /** Last four digits, for the masked text. */
  last4: string;
}

export function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A run of digits that may be a card: 12+ digits with single separators between groups, an expiry after it. */
export const CARD_RUN = /(?<![\dA-Za-z*.,])\d(?:\d|[ -](?=\d)(?!\d{2}\/\d{2}(?!\d))){11,30}(?:[ -]?\d{2}\/\d{2})?(?![\d.,]\d)(?!\d)/g;

const CARD_GROUPINGS = new Set(['4-4-4-4', '4-6-5', '4-6-4', '4-4-4-4-3', '4-4-4-4-1', '4-4-4-1', '4-4-5']);

/** A valid expiry MMYY / MM/YY. */
const expiryOk = (s: string) => { const m = Number(s.slice(0, 2)); return s.length === 4 && m >= 1 && m <= 12; };

/** Whether a run of digits (as printed, with its separators) is a card number, and its digits without any expiry. */
export function cardDigits(printed: string): string | null {
  const groups = printed.split(/[\s-]+/).filter(Boolean);
  // An expiry after the number: as its own group ("12/27", "1227") or glued ("…11111227").
  const lastGroup = groups[groups.length - 1] ?? '';
  const body = /^\d{2}\/\d{2}$/.test(lastGroup) && expiryOk(lastGroup.replace('/', '')) ? groups.slice(0, -1) : groups;
  const digits = body.join('').replace(/\D/g, '');
  // Cards print in groups of 3-6 (the last may carry a glued expiry); two columns of numbers side by side are not a card.
  const lens0 = body.map((g) => g.replace(/\D/g, '').length);
  if (lens0.length > 1 && lens0.slice(0, -1).some((n) => n < 3 || n > 6)) return null;
  const grouping = body.map((g) => g.replace(/\D/g, '').length).join('-');
  if (digits.length >= 13 && digits.length <= 19 && luhnOk(digits)) return digits;
  if (CARD_GROUPINGS.has(grouping)) return digits;
  // Glued expiry: the number's own 13-19 digits pass Luhn and the four after are MMYY.
  for (let n = Math.min(19, digits.length - 4); n >= 13; n--) {
    if (digits.length - n === 4 && expiryOk(digits.slice(n)) && luhnOk(digits.slice(0, n))) return digits.slice(0, n);
  }
  // Grouped card with the expiry glued to the last group ("4111 1111 1111 11111227").
  const lens = body.map((g) => g.replace(/\D/g, '').length);
  if (lens.length >= 4 && lens[lens.length - 1]! >= 8) {
    const tail = digits.slice(-4);
    const head = digits.slice(0, -4);
    if (expiryOk(tail) && head.length >= 13 && head.length <= 19 && luhnOk(head)) return head;
  }
  return null;
}

/** Every card number on the page, with its words and box. */
export function findCards(page: OcrPage): CardHit[] {
  const hits: CardHit[] = [];
  page.lines.forEach((line, li) => {
    const j = joinLine(line, li);
    // Digit runs with separators between groups; "/" only inside a trailing expiry.
    for (const m of j.text.matchAll(CARD_RUN)) {
      // Try the whole run, then shorter runs that drop leading groups (a label number before the card).
      const text = m[0];
      const starts = [0, ...[...text.matchAll(/[ .-](?=\d)/g)].map((x) => x.index! + 1)];
      for (const s of starts) {
        const digits = cardDigits(text.slice(s));
        if (!digits) continue;
        const start = m.index! + s, end = m.index! + text.length;
        const words = new Set<number>();
        for (let i = start; i < end; i++) if (j.owner[i]! >= 0) words.add(j.owner[i]!);
        const box = unionBox([...words].map((w) => j.words[w]!.box));
        if (box) hits.push({ line: li, words: [...words], box, last4: digits.slice(-4) });
        break;
      }
    }
  });
  return hits;
}
