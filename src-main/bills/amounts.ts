/**
 * Money in the formats of many countries: 1,234.56 / 1.234,56 / 1 234,56 /
 * 1'234.56 / ¥12,345 / 12,345円 / EUR 12.50 / 12.50 € — and the usual OCR
 * slips (¥ read as "\" or "Y", a comma read as a dot in yen amounts).
 */
import { currencyDigits } from '../../src-preload/contract/money';

export type CurrencyCode = 'USD' | 'EUR' | 'GBP' | 'JPY' | 'AUD' | 'CAD' | 'CHF' | 'INR' | 'CNY' | 'KRW' | 'NZD' | 'SGD' | 'HKD' | 'MXN' | 'BRL' | 'SEK' | 'NOK' | 'DKK' | 'PLN' | 'ZAR' | 'MYR';
export const CURRENCY_CODES: readonly CurrencyCode[] = ['USD', 'EUR', 'GBP', 'JPY', 'AUD', 'CAD', 'CHF', 'INR', 'CNY', 'KRW', 'NZD', 'SGD', 'HKD', 'MXN', 'BRL', 'SEK', 'NOK', 'DKK', 'PLN', 'ZAR', 'MYR'];
/** Currencies written without minor units (JPY, KRW): every separator in their amounts is grouping. */
const zeroDecimal = (c: string | undefined) => currencyDigits(c) === 0;

export interface AmountMatch {
  value: number;
  start: number;
  end: number;
  /** Currency the text itself names (symbol or code), if any. */
  currency?: CurrencyCode;
  /** The digits as printed, to reconcile amounts whose decimal point OCR lost. */
  digits: string;
  /** True when a currency marker or a decimal part says this is money, not some other number. */
  explicit: boolean;
}

const SYMBOLS: Array<[RegExp, CurrencyCode]> = [
  [/^(A\$|AU\$)$/i, 'AUD'], [/^(C\$|CA\$)$/i, 'CAD'], [/^(NZ\$)$/i, 'NZD'], [/^(S\$)$/i, 'SGD'], [/^(HK\$)$/i, 'HKD'],
  [/^(US\$|\$)$/, 'USD'], [/^£$/, 'GBP'], [/^€$/, 'EUR'], [/^(¥|円|\\|Y|\\Y|Y\\)$/, 'JPY'], [/^(₹|Rs\.?)$/, 'INR'],
  [/^₩$/, 'KRW'], [/^RM$/i, 'MYR'], [/^(R\$)$/, 'BRL'], [/^(zł)$/, 'PLN'], [/^(Fr\.?|CHF)$/, 'CHF'],
];

export function currencyOfToken(tok: string | undefined): CurrencyCode | undefined {
  if (!tok) return undefined;
  const t = tok.trim();
  const up = t.toUpperCase();
  if ((CURRENCY_CODES as readonly string[]).includes(up)) return up as CurrencyCode;
  for (const [re, c] of SYMBOLS) if (re.test(t)) return c;
  return undefined;
}

const PRE = String.raw`(?:(?<pcode>USD|EUR|GBP|JPY|AUD|CAD|CHF|INR|NZD|SGD|HKD|MYR|RM)\s?-?\s?)?(?<psym>A\$|AU\$|C\$|CA\$|NZ\$|S\$|HK\$|US\$|R\$|Rs\.?|\\Y|Y\\|[$£€¥₹₩\\]|(?<![A-Za-z])Y)?\s?`;
const NUM = String.raw`(?<neg>-)?(?<num>\d{1,3}(?:(?:[,.' ]|, |\. |,\.|\.,)\d{3})+(?:[.,]\d{1,2})?|\d+(?:\.\s?\d\s?\d|[.,]\d{1,2})?)(?![\d])`;
const POST = String.raw`(?:\s?(?<ssym>€|円|zł|kr|(?<scode>USD|EUR|GBP|JPY|AUD|CAD|CHF|INR|MYR|RM)\b))?`;
const AMOUNT_RE = new RegExp(`(?<![\\w.,/:-])${PRE}${NUM}${POST}(?![\\w%/:.-]*\\d)(?!\\s?%)`, 'g');

/**
 * Parse one number string. `zeroDecimal`: the currency has no minor units, so
 * every separator is grouping (OCR often reads a yen comma as a dot).
 */
export function parseNumber(raw: string, zeroDecimal = false): number | null {
  let s = raw.replace(/\s|'/g, '');
  if (!/^\d[\d.,]*$/.test(s)) return null;
  if (zeroDecimal) {
    // "1,234.00" printed with decimals is still fine: drop a trailing 2-digit decimal part of zeros.
    s = s.replace(/[.,]00$/, '');
    return Number(s.replace(/[.,]/g, ''));
  }
  const last = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
  if (last < 0) return Number(s);
  const tail = s.slice(last + 1);
  const head = s.slice(0, last).replace(/[.,]/g, '');
  const seps = (s.match(/[.,]/g) ?? []).length;
  if (tail.length === 3 && (seps > 1 ? s[last] === s.slice(0, last).match(/[.,]/)?.[0] : true)) {
    // "1,234" / "1.234.567": grouping. (A lone "1.234" is read as grouping too; decimals of 3 digits are rare on bills.)
    return Number(head + tail);
  }
  if (tail.length <= 2) return Number(`${head}.${tail}`);
  return null;
}

/** Every money-looking number in a (normalised) line. */
export function findAmounts(text: string, hint?: string): AmountMatch[] {
  const out: AmountMatch[] = [];
  for (const m of text.matchAll(AMOUNT_RE)) {
    const g = m.groups ?? {};
    const raw = g.num!;
    const cur = currencyOfToken(g.pcode) ?? currencyOfToken(g.psym) ?? currencyOfToken(g.ssym) ?? currencyOfToken(g.scode);
    // "Y" alone is only yen when the document is Japanese; elsewhere it is a letter.
    const currency = cur === 'JPY' && (g.psym === 'Y') && hint !== 'JPY' ? undefined : cur;
    const zero = zeroDecimal(currency ?? hint);
    const hasDecimals = /[.,]\d{2}$/.test(raw.replace(/\s/g, '')) && !zero;
    const value = parseNumber(raw, zero);
    if (value === null || !Number.isFinite(value)) continue;
    const explicit = !!currency || hasDecimals || (zero && /[.,]\d{3}$/.test(raw));
    out.push({ value: g.neg ? -value : value, start: m.index!, end: m.index! + m[0].length, currency, digits: raw.replace(/\D/g, ''), explicit });
  }
  return out;
}

/** The document's currency: explicit codes beat symbols; "$" alone is USD unless the page says otherwise. */
export function detectCurrency(texts: string[], langHint?: string): { code: CurrencyCode; confidence: number } | null {
  const counts = new Map<CurrencyCode, number>();
  const add = (c: CurrencyCode, n: number) => counts.set(c, (counts.get(c) ?? 0) + n);
  for (const t of texts) {
    for (const m of t.matchAll(/\b(USD|EUR|GBP|JPY|AUD|CAD|CHF|INR|NZD|SGD|HKD|CNY|KRW|MYR)\b/g)) add(m[1] as CurrencyCode, 3);
    // Ringgit: "RM 12.50", "RM12.50", "Amount(RM)".
    for (const _ of t.matchAll(/(?:\bRM\s?-?\s?\d|\(RM\)|\d\s?RM\b)/g)) add('MYR', 3);
    for (const m of t.matchAll(/(A\$|AU\$|C\$|CA\$|NZ\$|HK\$|S\$)/g)) add(currencyOfToken(m[1])!, 3);
    for (const m of t.matchAll(/[$£€¥円₹₩]/g)) add(currencyOfToken(m[0])!, 1);
    if (langHint === 'jpn') for (const _ of t.matchAll(/(?:\\|(?<![A-Za-z])Y)(?=\d)/g)) add('JPY', 1);
    if (/税込|消費税|合計|ご請求/.test(t)) add('JPY', 0.5);
  }
  if (!counts.size) return null;
  // Explicit dollar variants (AUD/CAD...) override plain "$" counted as USD.
  const usd = counts.get('USD') ?? 0;
  for (const c of ['AUD', 'CAD', 'NZD', 'SGD', 'HKD'] as const) if ((counts.get(c) ?? 0) > 0) { counts.set(c, (counts.get(c) ?? 0) + usd); counts.delete('USD'); }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const [code, n] = sorted[0]!;
  const total = sorted.reduce((a, [, v]) => a + v, 0);
  return { code, confidence: Math.min(0.99, 0.5 + 0.5 * (n / total) * Math.min(1, n / 3)) };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
export const sameMoney = (a: number, b: number, currency?: string) => Math.abs(a - b) < 0.5 / 10 ** currencyDigits(currency);
