/** The contract's one currency-digits rule and the bills' edge into minor units. */
import { describe, expect, it } from 'vitest';
import { currencyDigits, fromMinor, toMinor } from '../../../src-preload/contract/money';
import { BillFields, Finding } from '../../../src-preload/contract/ocr';
import { extractBill } from '../../../src-main/bills/extract';
import { expectedFromMinor, fieldsInMinorUnits, findingsInMinorUnits } from '../../../src-main/bills/minor-units';
import { pageOf } from './page';

describe('currency digits (ISO 4217)', () => {
  it('has the non-2 currencies in its table and 2 for every other code', () => {
    expect(['JPY', 'KRW', 'VND', 'CLP', 'ISK'].map(currencyDigits)).toEqual([0, 0, 0, 0, 0]);
    expect(['KWD', 'BHD', 'OMR', 'TND', 'JOD'].map(currencyDigits)).toEqual([3, 3, 3, 3, 3]);
    expect(currencyDigits('CLF')).toBe(4);
    expect(['USD', 'EUR', 'GBP', 'INR', 'XYZ'].map(currencyDigits)).toEqual([2, 2, 2, 2, 2]);
    expect([undefined, null, '', 'constructor', 'toString'].map(currencyDigits)).toEqual([2, 2, 2, 2, 2]);
  });

  it('converts both ways without float drift', () => {
    expect(toMinor(54.99, 'USD')).toBe(5499);
    expect(toMinor(0.29, 'USD')).toBe(29);
    expect(toMinor(5980, 'JPY')).toBe(5980);
    expect(toMinor(1.234, 'KWD')).toBe(1234);
    expect(fromMinor(5499, 'USD')).toBe(54.99);
    expect(fromMinor(5980, 'JPY')).toBe(5980);
    expect(fromMinor(1234, 'KWD')).toBe(1.234);
    for (let m = 0; m < 20_000; m += 7) expect(toMinor(fromMinor(m, 'USD'), 'USD')).toBe(m);
  });
});

describe('bill fields at the contract edge', () => {
  it('turns the extractor\'s decimals into minor units with their currency, valid for the contract', () => {
    const f = extractBill(pageOf(`Bluewave Mobile
      Plan $40.00
      Calls $10.00
      Sales tax $4.99
      Total amount due $54.99`));
    const c = fieldsInMinorUnits(f);
    expect(BillFields.parse(c)).toEqual(c);
    expect(c.total).toMatchObject({ amountMinor: 5499, currency: 'USD', box: f.total!.box, source: f.total!.source });
    expect(c.tax?.amountMinor).toBe(499);
    expect(c.lineItems.map((i) => [i.amountMinor, i.currency])).toEqual([[4000, 'USD'], [1000, 'USD']]);
  });

  it('findings carry minor units and name stills by sha256; the expected charge goes back to decimals', () => {
    const sha = 'a'.repeat(64);
    const [f] = findingsInMinorUnits([{ id: 'x', kind: 'duplicate_charge', severity: 'warning', say: { en: '', ja: '' }, evidence: [{ stillId: sha, boxes: [], label: 'l' }], actions: ['credit'], amount: 5980, currency: 'JPY' }]);
    expect(Finding.parse(f)).toMatchObject({ amountMinor: 5980, currency: 'JPY', evidence: [{ stillSha256: sha }] });
    expect(expectedFromMinor({ expectedMonthlyMinor: 4500, currency: 'USD', number: 'A1' })).toEqual({ amount: 45, currency: 'USD', accountNumber: 'A1' });
  });
});
