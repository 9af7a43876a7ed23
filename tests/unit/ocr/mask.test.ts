import { describe, expect, it } from 'vitest';
import { extractBill } from '../../../src-main/bills/extract';
import { luhnOk, maskKeepLast4, maskPage, maskText } from '../../../src-main/bills/mask';
import { pageOf } from './page';

describe('card and bank numbers are masked, last four kept', () => {
  it('masks a Luhn-valid card number split across words, on words, lines and page text', () => {
    const { page, masked } = maskPage(pageOf('CORNER MARKET\nTOTAL $12.00\nVISA 4111 1111 1111 1111'));
    expect(masked).toEqual(['**** **** **** 1111']);
    expect(page.text).not.toMatch(/4111 1111/);
    expect(page.lines[2]!.text).toBe('VISA **** **** **** 1111');
    expect(page.lines[2]!.words.map((w) => w.text)).toEqual(['VISA', '****', '****', '****', '1111']);
    expect(JSON.stringify(page)).not.toContain('4111111111111111');
  });

  it('masks numbers after a card brand even when Luhn fails, IBANs and labelled bank accounts', () => {
    expect(maskText('クレジット 4046 1334 2930 4111')).toBe('クレジット **** **** **** 4111');
    expect(maskText('IBAN DE89 3704 0044 0532 0130 00')).toBe('IBAN DE** **** **** **** **30 00');
    expect(maskText('口座番号 1234567')).toBe('口座番号 ***4567');
    expect(maskText('Bank account 12345678')).toBe('Bank account ****5678');
  });

  it('keeps customer account and invoice numbers (they are not payment credentials)', () => {
    expect(maskText('Account number 7428 2676 50')).toBe('Account number 7428 2676 50');
    expect(maskText('Invoice number INV-2026-19064')).toBe('Invoice number INV-2026-19064');
  });

  it('extracted fields never carry the full number', () => {
    const { page, masked } = maskPage(pageOf('Hartley Stores\nTOTAL £9.99\nCard 5500 0000 0000 0004'));
    const f = extractBill(page, { masked });
    expect(f.maskedNumbers).toEqual(['**** **** **** 0004']);
    expect(JSON.stringify(f)).not.toContain('5500 0000');
  });

  it('luhn and mask helpers', () => {
    expect(luhnOk('4111111111111111')).toBe(true);
    expect(luhnOk('4111111111111112')).toBe(false);
    expect(maskKeepLast4('1234-5678-9012')).toBe('****-****-9012');
  });
});
