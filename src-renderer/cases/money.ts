import { getLocale } from '../i18n';

/** Digits after the decimal point (USD 2, JPY 0), from the browser's ICU data. */
export function currencyDigits(currency: string): number {
  try { return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2; } catch { return 2; }
}

export function formatMoney(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(getLocale() === 'ja' ? 'ja-JP' : 'en-US', { style: 'currency', currency }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** What the agent typed ("12.50", "1,200") in minor units, or null if it is not an amount. */
export function parseMoney(text: string, currency: string): number | null {
  const cleaned = text.replace(/[,\s]/g, '').normalize('NFKC');
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
  const digits = currencyDigits(currency);
  const [whole, frac = ''] = cleaned.split('.');
  if (frac.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
}
