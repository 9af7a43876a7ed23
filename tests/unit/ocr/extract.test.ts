import { describe, expect, it } from 'vitest';
import { extractBill, flatFields } from '../../../src-main/bills/extract';
import { pageOf } from './page';

describe('bill extraction, English', () => {
  it('reads a US utility bill: ids, dates, period, items, totals, currency, with boxes', () => {
    const f = extractBill(pageOf(`
      Riverside Power & Light| Electricity bill
      Account number 7428 2676 50
      Invoice number INV-2026-19064
      Invoice date April 23, 2026
      Billing period 03/01/2026 - 03/31/2026
      Due date 05/14/2026
      Basic service charge $39.10
      Energy charge 612 kWh $86.44
      Subtotal $125.54
      Sales tax $7.85
      Amount due $133.39`));
    expect(flatFields(f)).toEqual({
      vendor: 'Riverside Power & Light', accountNumber: '7428 2676 50', invoiceNumber: 'INV-2026-19064', date: '2026-04-23',
      dueDate: '2026-05-14', periodStart: '2026-03-01', periodEnd: '2026-03-31', subtotal: 125.54, tax: 7.85, total: 133.39, currency: 'USD',
    });
    expect(f.lineItems.map((i) => [i.description, i.amount])).toEqual([['Basic service charge', 39.1], ['Energy charge 612 kWh', 86.44]]);
    expect(f.total!.confidence).toBeGreaterThan(0.9);
    expect(f.total!.box).toMatchObject({ y: 20 + 10 * 40 });
    expect(f.total!.source.toLowerCase()).toBe('amount due');
  });

  it('reads a UK receipt with day-first dates and VAT', () => {
    const f = extractBill(pageOf(`
      HARTLEY STORES
      12 High Street
      08/10/2026 14:32
      Tea bags 80 £3.10
      SUBTOTAL £3.10
      VAT 20% £0.62
      TOTAL £3.72`));
    expect(flatFields(f)).toMatchObject({ vendor: 'HARTLEY STORES', date: '2026-10-08', subtotal: 3.1, tax: 0.62, total: 3.72, currency: 'GBP' });
  });

  it('reads a German-format invoice (1.234,56 €, dd.mm.yyyy) and repairs a dropped decimal point', () => {
    const f = extractBill(pageOf(`
      Kessler Software GmbH| INVOICE
      Invoice date 03.08.2026
      Support subscription 1.007,99 €
      Subtotal 1.007,99 €
      VAT 19% 19152 €
      Total due 1.199,51 €`));
    expect(flatFields(f)).toMatchObject({ date: '2026-08-03', subtotal: 1007.99, tax: 191.52, total: 1199.51, currency: 'EUR' });
    expect(f.tax!.confidence).toBeGreaterThan(0.9);
  });

  it('prefers "amount due" over a plain total and keeps "total tax" out of the total', () => {
    const f = extractBill(pageOf(`
      Bluewave Mobile
      Total tax $4.00
      Total current charges $50.00
      Previous balance $10.00
      Amount due $60.00`));
    expect(f.total!.value).toBe(60);
    expect(f.tax!.value).toBe(4);
  });

  it('a label above its value still counts; a page with no labels falls back to the largest amount, with low confidence', () => {
    expect(extractBill(pageOf('Shop\nTotal due\n$42.10')).total!.value).toBe(42.1);
    const f = extractBill(pageOf('Shop\nx\ny\n$1.00\n$42.10'));
    expect(f.total!.value).toBe(42.1);
    expect(f.total!.confidence).toBeLessThan(0.6);
  });

  it('AUD / CAD pages are not taken for USD', () => {
    expect(extractBill(pageOf('Harbour Water\nGST 10% $1.00\nAmount due AUD $11.00')).currency!.value).toBe('AUD');
    expect(extractBill(pageOf('Maple Fibre\nHST 13% $1.30\nTotal due CAD $11.30')).currency!.value).toBe('CAD');
  });
});

describe('bill extraction, Japanese', () => {
  it('reads a utility bill with Reiwa dates and 円 amounts', () => {
    const f = extractBill(pageOf(`
      東都電力株式会社| 電気料金のお知らせ
      契約番号 9943-910458
      請求書番号 INV-18921629
      発行日 令和8年11月19日
      ご利用期間 令和8年10月1日～令和8年10月31日
      お支払期限 令和8年12月10日
      基本料金 5,468円
      電力量料金 6,057円
      小計 11,525円
      消費税（10%） 1,152円
      ご請求金額 12,677円`, 'jpn'));
    expect(flatFields(f)).toEqual({
      vendor: '東都電力株式会社', accountNumber: '9943-910458', invoiceNumber: 'INV-18921629', date: '2026-11-19', dueDate: '2026-12-10',
      periodStart: '2026-10-01', periodEnd: '2026-10-31', subtotal: 11525, tax: 1152, total: 12677, currency: 'JPY',
    });
    expect(f.lineItems).toHaveLength(2);
  });

  it('reads a receipt with ¥ misread as \\ and a slash date', () => {
    const f = extractBill(pageOf(`
      まるやマート
      領収書
      2026/01/03 18:05
      牛乳 \\2,219
      小計 Y2,219
      消費税（8%） \\177
      合計 \\2,396`, 'jpn'));
    expect(flatFields(f)).toMatchObject({ vendor: 'まるやマート', date: '2026-01-03', subtotal: 2219, tax: 177, total: 2396, currency: 'JPY' });
  });

  it('reads お客様番号 / 2026年 dates / お支払い金額 / full-width digits', () => {
    const f = extractBill(pageOf(`
      さくらモバイル
      お客様番号 １２３４-５６７８９０
      発行日 2026年3月4日
      お支払期限 2026年3月25日
      お支払い金額 ¥８,８００`, 'jpn'));
    expect(flatFields(f)).toMatchObject({ accountNumber: '1234-567890', date: '2026-03-04', dueDate: '2026-03-25', total: 8800, currency: 'JPY' });
  });
});

describe('bills from elsewhere (formats the corpus does not have)', () => {
  it('a French-style receipt: TOTAL TTC, TVA, 1 234,56 €', () => {
    const f = extractBill(pageOf(`
      Boulangerie Martin
      04/03/2026
      Baguette 1,20 €
      Croissant x12 10,80 €
      TVA 5,5% 0,66 €
      TOTAL TTC 12,66 €`));
    expect(flatFields(f)).toMatchObject({ vendor: 'Boulangerie Martin', date: '2026-03-04', tax: 0.66, total: 12.66, currency: 'EUR' });
  });

  it('an Australian tax invoice with ABN, GST and "Balance due"', () => {
    const f = extractBill(pageOf(`
      Harbourside Plumbing Pty Ltd
      Tax invoice
      ABN 51 824 753 556
      Invoice no. 004512
      Date 14/03/2026
      Labour 2 hours $180.00
      GST $18.00
      Balance due AUD $198.00`));
    expect(flatFields(f)).toMatchObject({ vendor: 'Harbourside Plumbing Pty Ltd', invoiceNumber: '004512', date: '2026-03-14', tax: 18, total: 198, currency: 'AUD' });
  });

  it('an Indian bill in rupees, a Swiss one in CHF', () => {
    expect(flatFields(extractBill(pageOf('Sharma Electricals\nTotal ₹1,499.00')))).toMatchObject({ total: 1499, currency: 'INR' });
    expect(flatFields(extractBill(pageOf("Alpen Telecom AG\nTotal CHF 1'250.50")))).toMatchObject({ total: 1250.5, currency: 'CHF' });
  });
});
