import { describe, expect, it } from 'vitest';
import { isStatement } from '../../../src-main/ocr/service';

describe('isStatement: which English pages also get the tesseract header pass', () => {
  it('knows a billing statement by its period, even as PP-OCR misreads the label', () => {
    expect(isStatement('Billing period 03/01/2026 - 03/31/2026')).toBe(true);
    expect(isStatement('Bilng peiod 08/01/2026- 08/31/2026')).toBe(true);
    expect(isStatement('Service period: 1 Jul 2026 to 31 Jul 2026')).toBe(true);
  });
  it('or by an account/invoice number with a due date', () => {
    expect(isStatement('Ac count number 7428 2676 50\nDue date 05/14/2026')).toBe(true);
    expect(isStatement('Invoice No. INV-1\nPayment due 1 May')).toBe(true);
  });
  it('leaves till receipts (even tax invoices with an invoice number) to PP-OCR alone', () => {
    expect(isStatement('RESTORAN DE COFFEEO\nTAX INVOICE\nInvoice No: CS00119810\nDate: 03/04/2018\nTOTAL 11.60')).toBe(false);
    expect(isStatement('Account number 1234')).toBe(false);
  });
});
