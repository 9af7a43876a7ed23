/** Money in the case panel: minor units from the contract, shown and typed in the UI language. The digits rule is the contract's (ISO 4217). */
import { currencyDigits, fromMinor } from '../../src-preload/contract/money';
import { getLocale } from '../i18n';

export function formatMoney(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(getLocale() === 'ja' ? 'ja-JP' : 'en-US', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(fromMinor(minor, currency));
  } catch {
    return `${fromMinor(minor, currency).toFixed(digits)} ${currency}`;
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
