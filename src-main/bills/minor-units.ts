/**
 * The contract's edge for money: extraction and the dispute checks work in
 * decimals (what a page prints), the contract carries integer minor units
 * with their currency. Converted here, once, by the shared digits rule.
 */
import type { BillFieldsT, FindingT } from '../../src-preload/contract/ocr';
import { fromMinor, isCurrencyCode, toMinor } from '../../src-preload/contract/money';
import type { ExpectedCharge, Finding } from './disputes';
import type { BillFields, Field } from './types';

const codeOf = (f: BillFields): string | null => (isCurrencyCode(f.currency?.value) ? f.currency!.value : null);

export function fieldsInMinorUnits(f: BillFields): BillFieldsT {
  const currency = codeOf(f);
  const money = (m: Field<number> | undefined) => (m ? { amountMinor: toMinor(m.value, currency), currency, confidence: m.confidence, box: m.box, source: m.source } : undefined);
  const { subtotal, tax, total, lineItems, ...rest } = f;
  const out: BillFieldsT = { ...rest, lineItems: lineItems.map((i) => ({ description: i.description, amountMinor: toMinor(i.amount, currency), currency, confidence: i.confidence, box: i.box })) };
  if (subtotal) out.subtotal = money(subtotal);
  if (tax) out.tax = money(tax);
  if (total) out.total = money(total);
  return out;
}

/** Findings name their stills by sha256 (the checks were given sha256s as still ids). */
export function findingsInMinorUnits(findings: Finding[]): FindingT[] {
  return findings.map(({ amount, currency, evidence, ...f }) => ({
    ...f,
    evidence: evidence.map(({ stillId, ...e }) => ({ stillSha256: stillId, ...e })),
    ...(amount !== undefined && isCurrencyCode(currency) ? { amountMinor: toMinor(amount, currency), currency } : {}),
  }));
}

/** A case account's expected monthly charge (minor units) as the checks' decimal amount. */
export function expectedFromMinor(a: { expectedMonthlyMinor: number; currency: string; number: string }): ExpectedCharge {
  return { amount: fromMinor(a.expectedMonthlyMinor, a.currency), currency: a.currency, accountNumber: a.number };
}
