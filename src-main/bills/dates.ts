/**
 * Dates as bills print them: 2026-03-04, 2026/03/04, 04/03/2026 (day or month
 * first, decided by the values or the document's country), 04.03.2026,
 * March 4, 2026, 4 Mar 2026, 2026年3月4日, 令和8年3月4日 (and 平成), R8.3.4.
 */
export interface DateMatch { iso: string; start: number; end: number; ambiguous: boolean }
export type DateOrder = 'mdy' | 'dmy';

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};
const ERAS: Record<string, number> = { 令和: 2018, 平成: 1988, 昭和: 1925, R: 2018, H: 1988, S: 1925 };

const pad = (n: number) => String(n).padStart(2, '0');
export function toIso(y: number, m: number, d: number): string | null {
  if (y < 100) y += 2000;
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1990 || y > 2100) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

const MONTH_NAMES = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const PATTERNS: Array<{ re: RegExp; build: (m: RegExpExecArray, order: DateOrder) => { iso: string | null; ambiguous?: boolean } }> = [
  // Japanese era: 令和8年3月4日, 令和 8 年 3 月 4 日, 令和元年
  { re: /(令和|平成|昭和)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?/g,
    build: (m) => ({ iso: toIso(ERAS[m[1]!]! + (m[2] === '元' ? 1 : Number(m[2])), Number(m[3]), Number(m[4])) }) },
  // 2026年3月4日
  { re: /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?/g, build: (m) => ({ iso: toIso(Number(m[1]), Number(m[2]), Number(m[3])) }) },
  // R8.3.4 / R08/03/04
  { re: /\b([RHS])\s?(\d{1,2})[./](\d{1,2})[./](\d{1,2})\b/g, build: (m) => ({ iso: toIso(ERAS[m[1]!]! + Number(m[2]), Number(m[3]), Number(m[4])) }) },
  // ISO-ish: 2026-03-04, 2026/03/04, 2026.03.04
  { re: /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/g, build: (m) => ({ iso: toIso(Number(m[1]), Number(m[2]), Number(m[3])) }) },
  // March 4, 2026 / Mar. 4 2026
  { re: new RegExp(`\\b(${MONTH_NAMES})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'gi'),
    build: (m) => ({ iso: toIso(Number(m[3]), MONTHS[m[1]!.toLowerCase().replace(/\.$/, '')] ?? 0, Number(m[2])) }) },
  // 4 March 2026 / 4-Mar-2026 / 04 Mar 26
  { re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?[\\s-]+(${MONTH_NAMES})\\.?,?[\\s-]+(\\d{4}|\\d{2})\\b`, 'gi'),
    build: (m) => ({ iso: toIso(Number(m[3]), MONTHS[m[2]!.toLowerCase()] ?? 0, Number(m[1])) }) },
  // 04.03.2026: day first in every country that writes dots
  { re: /\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\b/g, build: (m) => ({ iso: toIso(Number(m[3]), Number(m[2]), Number(m[1])) }) },
  // 04/03/2026 or 04-03-2026: the values decide, else the document's order
  // (also glued to the time that follows, as receipts print it: "03/07/20185:22:43PM", "15-06-1817:12")
  // (one separator throughout: "GA06-07-6/24" is a product code)
  { re: /\b(\d{1,2})([/-])(\d{1,2})\2(\d{4}(?=\d{1,2}:\d{2})|\d{2}(?=\d{2}:\d{2})|\d{4}\b|\d{2}\b)/g, build: (m, order) => {
    const a = Number(m[1]), b = Number(m[3]), y = Number(m[4]);
    if (a > 12 && b <= 12) return { iso: toIso(y, b, a) };
    if (b > 12 && a <= 12) return { iso: toIso(y, a, b) };
    return { iso: order === 'mdy' ? toIso(y, a, b) : toIso(y, b, a), ambiguous: a !== b };
  } },
];

export function findDates(text: string, order: DateOrder = 'dmy'): DateMatch[] {
  const found: DateMatch[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      const start = m.index, end = m.index + m[0].length;
      if (found.some((f) => start < f.end && end > f.start)) continue;
      const r = p.build(m, order);
      if (r.iso) found.push({ iso: r.iso, start, end, ambiguous: !!r.ambiguous });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Day-first or month-first for a whole document: unambiguous dates on the
 * page decide; otherwise the currency's country (USD: month first).
 */
export function inferDateOrder(texts: string[], currency?: string): { order: DateOrder; certain: boolean } {
  let mdy = 0, dmy = 0;
  for (const t of texts) for (const m of t.matchAll(/\b(\d{1,2})[/-](\d{1,2})[/-](\d{4}(?=\d{1,2}:\d{2})|\d{2}(?=\d{2}:\d{2})|\d{4}\b|\d{2}\b)/g)) {
    const a = Number(m[1]), b = Number(m[2]);
    if (a > 12 && b <= 12) dmy++;
    else if (b > 12 && a <= 12) mdy++;
  }
  if (mdy !== dmy) return { order: mdy > dmy ? 'mdy' : 'dmy', certain: true };
  // Named months decide nothing about order; the currency's country does (USD: month first).
  return { order: currency === 'USD' ? 'mdy' : 'dmy', certain: false };
}
