/**
 * Dispute checks across the stills of one case. Each finding carries a
 * sentence the agent can read aloud (English and Japanese: the customer may
 * be either), the evidence boxes per still, and the actions that fit.
 * Pure functions of the extracted fields: no OCR, no storage.
 */
import { currencyDigits } from '../../src-preload/contract/money';
import { sameMoney } from './amounts';
import type { BillFields, Box } from './types';

export interface BillOnStill { stillId: string; fields: BillFields }
export interface ExpectedCharge { amount: number; currency: string; accountNumber?: string }

export type FindingKind = 'duplicate_charge' | 'split_account_invoices' | 'items_mismatch' | 'differs_from_expected';
export type FindingAction = 'note' | 'credit' | 'escalate';
export interface Evidence { stillId: string; boxes: Box[]; label: string }
export interface Finding {
  id: string;
  kind: FindingKind;
  severity: 'info' | 'warning' | 'critical';
  say: { en: string; ja: string };
  evidence: Evidence[];
  actions: FindingAction[];
  /** For a credit action: the amount in dispute and its currency. */
  amount?: number;
  currency?: string;
}

const alnum = (s: string | undefined) => (s ?? '').normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '');

export function formatMoney(n: number, currency: string | undefined, locale: 'en' | 'ja'): string {
  const digits = currencyDigits(currency);
  const num = n.toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (!currency) return num;
  if (currency === 'JPY') return locale === 'ja' ? `${num}円` : `¥${num}`;
  const sym: Record<string, string> = { USD: '$', GBP: '£', EUR: '€' };
  return sym[currency] ? `${sym[currency]}${num}` : `${currency} ${num}`;
}

function periodKey(f: BillFields): string | null {
  if (f.periodStart && f.periodEnd) return `${f.periodStart.value}..${f.periodEnd.value}`;
  // Without a printed period, the issue month stands in for it.
  if (f.date) return f.date.value.slice(0, 7);
  return null;
}
const boxes = (...bs: Array<Box | null | undefined>) => bs.filter((b): b is Box => !!b);
const periodText = (f: BillFields) => (f.periodStart && f.periodEnd ? `${f.periodStart.value} – ${f.periodEnd.value}` : f.date?.value.slice(0, 7) ?? '');

export function checkDisputes(bills: BillOnStill[], expected?: ExpectedCharge | null): Finding[] {
  const out: Finding[] = [];
  const seenInvoice = new Map<string, BillOnStill>();
  // Same invoice number photographed twice is the same bill, not a second charge.
  const distinct: BillOnStill[] = [];
  for (const b of bills) {
    const inv = alnum(b.fields.invoiceNumber?.value);
    const acct = alnum(b.fields.accountNumber?.value);
    const k = inv ? `${inv}|${acct}` : '';
    if (k && seenInvoice.has(k)) continue;
    if (k) seenInvoice.set(k, b);
    distinct.push(b);
  }

  for (let i = 0; i < distinct.length; i++) for (let j = i + 1; j < distinct.length; j++) {
    const a = distinct[i]!, b = distinct[j]!;
    const fa = a.fields, fb = b.fields;
    const pa = periodKey(fa), pb = periodKey(fb);
    const acctA = alnum(fa.accountNumber?.value), acctB = alnum(fb.accountNumber?.value);
    const samePeriod = !!pa && pa === pb;
    const sameVendor = !fa.vendor || !fb.vendor || alnum(fa.vendor.value) === alnum(fb.vendor.value);
    if (samePeriod && sameVendor && acctA && acctB && acctA !== acctB) {
      const amt = fb.total?.value ?? fa.total?.value;
      out.push({
        id: `split:${a.stillId}:${b.stillId}`,
        kind: 'split_account_invoices',
        severity: 'critical',
        say: {
          en: `There are two invoices for the same period (${periodText(fa)}) under two different account numbers, ${fa.accountNumber!.value} and ${fb.accountNumber!.value}. One of these accounts may not be yours; I am flagging it for our security team.`,
          ja: `同じご利用期間（${periodText(fa)}）の請求書が、異なる二つのお客様番号（${fa.accountNumber!.value} と ${fb.accountNumber!.value}）で発行されています。一方はお客様のものではない可能性があるため、セキュリティ担当に確認を依頼します。`,
        },
        evidence: [
          { stillId: a.stillId, boxes: boxes(fa.accountNumber?.box, fa.periodStart?.box ?? fa.date?.box, fa.periodEnd?.box, fa.total?.box), label: 'account A' },
          { stillId: b.stillId, boxes: boxes(fb.accountNumber?.box, fb.periodStart?.box ?? fb.date?.box, fb.periodEnd?.box, fb.total?.box), label: 'account B' },
        ],
        actions: ['escalate', 'note', 'credit'],
        amount: amt, currency: fb.currency?.value ?? fa.currency?.value,
      });
      continue;
    }
    const ta = fa.total?.value, tb = fb.total?.value;
    const cur = fa.currency?.value ?? fb.currency?.value;
    if (ta !== undefined && tb !== undefined && sameMoney(ta, tb, cur) && sameVendor && (samePeriod || (!pa && !pb)) && (!acctA || !acctB || acctA === acctB)) {
      out.push({
        id: `dup:${a.stillId}:${b.stillId}`,
        kind: 'duplicate_charge',
        severity: 'warning',
        say: {
          en: `You were charged ${formatMoney(ta, cur, 'en')} twice for the same period${pa ? ` (${periodText(fa)})` : ''}. I can credit the duplicate charge.`,
          ja: `同じ期間${pa ? `（${periodText(fa)}）` : ''}に ${formatMoney(ta, cur, 'ja')} が二重に請求されています。重複分を返金（クレジット）できます。`,
        },
        evidence: [
          { stillId: a.stillId, boxes: boxes(fa.total?.box, fa.invoiceNumber?.box), label: 'charge 1' },
          { stillId: b.stillId, boxes: boxes(fb.total?.box, fb.invoiceNumber?.box), label: 'charge 2' },
        ],
        actions: ['credit', 'note'],
        amount: ta, currency: cur,
      });
    }
  }

  for (const b of distinct) {
    const f = b.fields;
    const cur = f.currency?.value;
    if (f.total && f.lineItems.length >= 2) {
      const sum = f.lineItems.reduce((s, i) => s + i.amount, 0);
      const withTax = sum + (f.tax?.value ?? 0);
      const ok = sameMoney(sum, f.total.value, cur) || sameMoney(withTax, f.total.value, cur) || (f.subtotal && sameMoney(sum, f.subtotal.value, cur));
      if (!ok) {
        const diff = Math.abs(f.total.value - withTax);
        out.push({
          id: `items:${b.stillId}`,
          kind: 'items_mismatch',
          severity: 'warning',
          say: {
            en: `The items on this bill add up to ${formatMoney(withTax, cur, 'en')} including tax, but the total says ${formatMoney(f.total.value, cur, 'en')} — a difference of ${formatMoney(diff, cur, 'en')}.`,
            ja: `この請求書の明細の合計は税込 ${formatMoney(withTax, cur, 'ja')} ですが、請求額は ${formatMoney(f.total.value, cur, 'ja')} で、${formatMoney(diff, cur, 'ja')} の差があります。`,
          },
          evidence: [{ stillId: b.stillId, boxes: boxes(...f.lineItems.map((i) => i.box), f.tax?.box, f.total.box), label: 'items and total' }],
          actions: ['note', 'credit'],
          amount: f.total.value > withTax ? diff : undefined, currency: cur,
        });
      }
    }
    if (expected && f.total && (!f.currency || f.currency.value === expected.currency) && !sameMoney(f.total.value, expected.amount, expected.currency)) {
      const diff = f.total.value - expected.amount;
      out.push({
        id: `expected:${b.stillId}`,
        kind: 'differs_from_expected',
        severity: diff > 0 ? 'warning' : 'info',
        say: {
          en: `This bill's total is ${formatMoney(f.total.value, expected.currency, 'en')}; your plan's expected monthly charge is ${formatMoney(expected.amount, expected.currency, 'en')}, so it is ${formatMoney(Math.abs(diff), expected.currency, 'en')} ${diff > 0 ? 'more' : 'less'} than expected.`,
          ja: `この請求書の合計は ${formatMoney(f.total.value, expected.currency, 'ja')} で、ご契約プランの月額 ${formatMoney(expected.amount, expected.currency, 'ja')} より ${formatMoney(Math.abs(diff), expected.currency, 'ja')} ${diff > 0 ? '多く' : '少なく'}なっています。`,
        },
        evidence: [{ stillId: b.stillId, boxes: boxes(f.total.box), label: 'total' }],
        actions: diff > 0 ? ['credit', 'note'] : ['note'],
        amount: diff > 0 ? diff : undefined, currency: expected.currency,
      });
    }
  }
  return out;
}
