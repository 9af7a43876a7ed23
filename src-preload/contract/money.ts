/**
 * The one rule for a currency's minor units, shared by main and renderer (no
 * DOM, no Node). Money crosses the contract as integer minor units with its
 * ISO 4217 code; this table says how many digits the minor unit has. An
 * explicit table, not Intl: ICU data differs between hosts and versions.
 */
import { z } from 'zod';

/** ISO 4217 currencies whose minor unit is not 2 digits (every other code has 2). */
const NON_TWO_DIGITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

const ISO_4217 = /^[A-Z]{3}$/;

/** An ISO 4217 code (USD, JPY). */
export const CurrencyCode = z.string().regex(ISO_4217, 'ISO 4217 currency code');

export function isCurrencyCode(s: string | null | undefined): s is string {
  return !!s && ISO_4217.test(s);
}

/** Digits after the decimal point (USD 2, JPY 0, KWD 3); 2 for an unknown or missing code. */
export function currencyDigits(currency: string | null | undefined): number {
  return currency && Object.hasOwn(NON_TWO_DIGITS, currency) ? NON_TWO_DIGITS[currency]! : 2;
}

/** A decimal amount (12.5) in minor units (1250), rounded to the nearest unit. */
export function toMinor(major: number, currency: string | null | undefined): number {
  return Math.round(major * 10 ** currencyDigits(currency));
}

/** Minor units (1250) as a decimal amount (12.5). */
export function fromMinor(minor: number, currency: string | null | undefined): number {
  const d = currencyDigits(currency);
  // Dividing keeps 1999 / 100 = 19.99 exact as a printed number (multiplying by 0.01 would not).
  return d === 0 ? minor : minor / 10 ** d;
}

/** An integer amount in minor units, within what a bill or a credit can hold. */
export const AmountMinor = z.number().int().min(-1e13).max(1e13);
