import { describe, expect, it } from 'vitest';
import { detectCurrency, findAmounts, parseNumber } from '../../../src-main/bills/amounts';
import { findDates, inferDateOrder } from '../../../src-main/bills/dates';

describe('amounts in many national formats', () => {
  it.each([
    ['1,234.56', false, 1234.56], ['1.234,56', false, 1234.56], ['1 234,56', false, 1234.56], ["1'234.56", false, 1234.56],
    ['12,345', true, 12345], ['12.345', true, 12345], ['1,234,567.8', false, 1234567.8], ['0,99', false, 0.99], ['42', false, 42],
  ])('%s (zero-decimal %s) -> %d', (raw, zero, want) => {
    expect(parseNumber(raw, zero)).toBe(want);
  });

  it('reads symbols and codes before and after the number', () => {
    const got = (t: string, hint?: string) => findAmounts(t, hint).map((a) => [a.value, a.currency ?? null]);
    expect(got('Total $1,234.56')).toEqual([[1234.56, 'USD']]);
    expect(got('Summe 1.234,56 €')).toEqual([[1234.56, 'EUR']]);
    expect(got('合計 ¥12,345')).toEqual([[12345, 'JPY']]);
    expect(got('ご請求金額 12,345円')).toEqual([[12345, 'JPY']]);
    expect(got('Total GBP 12.50')).toEqual([[12.5, 'GBP']]);
    expect(got('Amount due AUD $99.10')).toEqual([[99.1, 'AUD']]);
    expect(got('Grand total CHF 1\'250.00')).toEqual([[1250, 'CHF']]);
  });

  it('survives OCR slips in yen amounts: ¥ read as \\ or Y, comma read as a dot', () => {
    expect(findAmounts('合計 \\20,221', 'JPY')[0]!.value).toBe(20221);
    expect(findAmounts('小計 Y18,724', 'JPY')[0]!.value).toBe(18724);
    expect(findAmounts('ご請求金額 15.063円', 'JPY')[0]!.value).toBe(15063);
    expect(findAmounts('基本料金 5,.468円', 'JPY')[0]!.value).toBe(5468);
  });

  it('does not take dates, times, percentages or ids for money', () => {
    expect(findAmounts('VAT 20%').filter((a) => a.explicit)).toEqual([]);
    expect(findAmounts('06/14/2026 14:32').filter((a) => a.explicit)).toEqual([]);
    expect(findAmounts('Invoice number INV-2026-19064').filter((a) => a.explicit)).toEqual([]);
  });

  it('detects the currency of the page', () => {
    expect(detectCurrency(['Total $5.00', 'Tax $0.40'])?.code).toBe('USD');
    expect(detectCurrency(['Amount due AUD $5.00', 'GST $0.50'])?.code).toBe('AUD');
    expect(detectCurrency(['合計 \\2,000'], 'jpn')?.code).toBe('JPY');
    expect(detectCurrency(['Total 5,00 €'])?.code).toBe('EUR');
    expect(detectCurrency(['no money here'])).toBeNull();
  });
});

describe('dates in many national formats', () => {
  const iso = (t: string, order: 'mdy' | 'dmy' = 'dmy') => findDates(t, order).map((d) => d.iso);
  it.each([
    ['2026-03-04', '2026-03-04'], ['2026/03/04', '2026-03-04'], ['March 4, 2026', '2026-03-04'], ['4 March 2026', '2026-03-04'],
    ['4 Mar 2026', '2026-03-04'], ['Mar. 4 2026', '2026-03-04'], ['04.03.2026', '2026-03-04'], ['2026年3月4日', '2026-03-04'],
    ['令和8年3月4日', '2026-03-04'], ['令和元年5月1日', '2019-05-01'], ['平成31年4月30日', '2019-04-30'], ['R8.3.4', '2026-03-04'],
    ['25/12/2026', '2026-12-25'], ['12/25/2026', '2026-12-25'],
  ])('%s -> %s', (t, want) => expect(iso(t)).toEqual([want]));

  it('resolves 04/03/2026 by the document order', () => {
    expect(iso('04/03/2026', 'dmy')).toEqual(['2026-03-04']);
    expect(iso('04/03/2026', 'mdy')).toEqual(['2026-04-03']);
    expect(inferDateOrder(['Due 03/25/2026', 'Period 03/01/2026'], 'GBP')).toEqual({ order: 'mdy', certain: true });
    expect(inferDateOrder(['Date 01/02/2026'], 'USD')).toEqual({ order: 'mdy', certain: false });
    expect(inferDateOrder(['Date 01/02/2026'], 'EUR')).toEqual({ order: 'dmy', certain: false });
  });

  it('finds both ends of a period and refuses impossible dates', () => {
    expect(iso('令和8年10月1日～令和8年10月31日')).toEqual(['2026-10-01', '2026-10-31']);
    expect(iso('2026年2月30日')).toEqual([]);
    expect(iso('31.13.2026')).toEqual([]);
  });
});
