/**
 * Card and bank numbers are masked (last four kept) on the OCR page itself,
 * words and lines alike, before anything is extracted, stored or returned:
 * no later step can leak what it never received.
 */
import type { OcrLine, OcrPage } from './types';
import { joinLine } from './normalize';
import { cardDigits, CARD_RUN, luhnOk } from './cards';

export { luhnOk };

/** Replace every digit outside the k0..k1-th digits with '*', keeping separators. */
function maskKeep(s: string, k0: number, k1: number): string {
  let seen = 0;
  return s.replace(/\d/g, (d) => { const k = seen++; return k >= k0 && k < k1 ? d : '*'; });
}

/** Replace every digit but the last four with '*', keeping separators. */
export function maskKeepLast4(s: string): string {
  const total = (s.match(/\d/g) ?? []).length;
  let seen = 0;
  return s.replace(/\d/g, (d) => (++seen <= total - 4 ? '*' : d));
}

/** keep: which of the span's digits stay readable (default its last four; a card's own last four when an expiry follows). */
interface Span { start: number; end: number; keep?: [number, number] }

/** Spans of card numbers (13-19 digits, Luhn), IBANs, and numbers labelled as bank accounts. */
export function sensitiveSpans(text: string): Span[] {
  const spans: Span[] = [];
  // Card: 13-19 digits in any grouping that pass Luhn (or are grouped as cards are), expiry glued on or not
  // (cards.ts, the same rule that paints them over in the pixels); or any 13-19 digits after a card brand.
  for (const m of text.matchAll(CARD_RUN)) {
    const starts = [0, ...[...m[0].matchAll(/[ .-](?=\d)/g)].map((x) => x.index! + 1)];
    const s = starts.find((k) => cardDigits(m[0].slice(k)));
    if (s !== undefined) {
      const n = cardDigits(m[0].slice(s))!.length;
      spans.push({ start: m.index! + s, end: m.index! + m[0].length, keep: [n - 4, n] });
      continue;
    }
    const digits = m[0].replace(/\D/g, '');
    const branded = /(visa|master\s?card|amex|american express|discover|jcb|diners|card|カード|クレジット)/i.test(text.slice(Math.max(0, m.index! - 30), m.index));
    if (branded && digits.length >= 13 && digits.length <= 19) spans.push({ start: m.index!, end: m.index! + m[0].length });
  }
  // IBAN: country code, check digits, 11-30 alphanumerics (spaces allowed every four).
  for (const m of text.matchAll(/\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g)) {
    if (m[0].replace(/\s/g, '').length >= 15) spans.push({ start: m.index!, end: m.index! + m[0].length });
  }
  // Labelled bank accounts: "Bank account 12345678", "口座番号 1234567", "A/C No. 12-34-56 12345678".
  const label = /(bank\s+account(?:\s+(?:number|no\.?))?|account\s+no\.?\s*\(bank\)|a\/c\s*(?:no\.?|number)?|routing(?:\s+number)?|sort\s+code|口座番号|口座|普通|当座)[\s:：#]*/gi;
  for (const m of text.matchAll(label)) {
    const after = text.slice(m.index! + m[0].length);
    const num = after.match(/^(?:\d[\d -]{3,24}\d)/);
    if (num) spans.push({ start: m.index! + m[0].length, end: m.index! + m[0].length + num[0].length });
  }
  return spans;
}

function maskLine(line: OcrLine, found: string[]): OcrLine {
  const j = joinLine(line, 0);
  const spans = sensitiveSpans(j.text);
  if (!spans.length) return line;
  // Which characters of which word to hide: digits inside a span except the span's last four digits.
  const hide = new Set<number>();
  for (const s of spans) {
    const digitPos: number[] = [];
    for (let i = s.start; i < s.end; i++) if (/\d/.test(j.text[i]!)) digitPos.push(i);
    const [k0, k1] = s.keep ?? [Math.max(0, digitPos.length - 4), digitPos.length];
    digitPos.forEach((p, k) => { if (k < k0 || k >= k1) hide.add(p); });
    found.push(maskKeep(j.text.slice(s.start, s.end), k0, k1));
  }
  // Map joined positions back to per-word character positions.
  const words = j.words.map((w) => [...w.text]);
  const cursor = new Array<number>(words.length).fill(0);
  for (let i = 0; i < j.text.length; i++) {
    const wi = j.owner[i]!;
    if (wi < 0) continue;
    const ci = cursor[wi]!++;
    if (hide.has(i) && words[wi]![ci] !== undefined) words[wi]![ci] = '*';
  }
  const newWords = line.words.map((w, wi) => ({ ...w, text: words[wi]!.join('') }));
  return { ...line, words: newWords, text: joinLine({ ...line, words: newWords }, 0).text };
}

/** A copy of the page with card/bank numbers masked, and the masked forms found. */
export function maskPage(page: OcrPage): { page: OcrPage; masked: string[] } {
  const masked: string[] = [];
  const lines = page.lines.map((l) => maskLine(l, masked));
  return { page: { ...page, lines, text: lines.map((l) => l.text).join('\n') }, masked };
}

/** Mask free text (e.g. the native CLI's output in the benchmark, notes). */
export function maskText(text: string): string {
  return text.split('\n').map((line) => {
    let out = line;
    for (const s of sensitiveSpans(line).sort((a, b) => b.start - a.start)) {
      const seg = out.slice(s.start, s.end);
      out = out.slice(0, s.start) + (s.keep ? maskKeep(seg, s.keep[0], s.keep[1]) : maskKeepLast4(seg)) + out.slice(s.end);
    }
    return out;
  }).join('\n');
}
