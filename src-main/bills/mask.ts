/**
 * Card and bank numbers are masked (last four kept) on the OCR page itself,
 * words and lines alike, before anything is extracted, stored or returned:
 * no later step can leak what it never received.
 */
import type { OcrLine, OcrPage } from './types';
import { joinLine } from './normalize';

export function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Replace every digit but the last four with '*', keeping separators. */
export function maskKeepLast4(s: string): string {
  const total = (s.match(/\d/g) ?? []).length;
  let seen = 0;
  return s.replace(/\d/g, (d) => (++seen <= total - 4 ? '*' : d));
}

interface Span { start: number; end: number }

/** Spans of card numbers (13-19 digits, Luhn), IBANs, and numbers labelled as bank accounts. */
export function sensitiveSpans(text: string): Span[] {
  const spans: Span[] = [];
  // Card: 13-19 digits in groups separated by spaces or dashes. Luhn-valid, or printed after a card brand.
  for (const m of text.matchAll(/(?<![\d*])(?:\d[ -]?){12,18}\d(?![\d])/g)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length < 13 || digits.length > 19) continue;
    const branded = /(visa|master\s?card|amex|american express|discover|jcb|diners|card|カード|クレジット)/i.test(text.slice(Math.max(0, m.index! - 30), m.index));
    if (luhnOk(digits) || branded) spans.push({ start: m.index!, end: m.index! + m[0].length });
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
    digitPos.slice(0, Math.max(0, digitPos.length - 4)).forEach((p) => hide.add(p));
    found.push(maskKeepLast4(j.text.slice(s.start, s.end)));
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
    for (const s of sensitiveSpans(line).sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + maskKeepLast4(out.slice(s.start, s.end)) + out.slice(s.end);
    return out;
  }).join('\n');
}
