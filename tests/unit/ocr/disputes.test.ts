import { describe, expect, it } from 'vitest';
import { checkDisputes } from '../../../src-main/bills/disputes';
import { extractBill } from '../../../src-main/bills/extract';
import { pageOf } from './page';

const bill = (acct: string, inv: string, total: string, period = '03/01/2026 - 03/31/2026', items = ['Plan $40.00', 'Calls $10.00'], tax = '$4.00') => extractBill(pageOf(`
  Bluewave Mobile
  Account number ${acct}
  Invoice number ${inv}
  Billing period ${period}
  ${items.join('\n')}
  Sales tax ${tax}
  Total amount due ${total}`));

describe('dispute checks across the stills of a case', () => {
  it('flags two invoices for one period under different account numbers, with boxes on both stills and an escalate action', () => {
    const f = checkDisputes([
      { stillId: 's1', fields: bill('7918 6397 07', 'INV-2026-35994', '$54.00') },
      { stillId: 's2', fields: bill('5521 0042 19', 'INV-2026-36311', '$54.00') },
    ]);
    expect(f.map((x) => x.kind)).toEqual(['split_account_invoices']);
    const x = f[0]!;
    expect(x.severity).toBe('critical');
    expect(x.actions).toContain('escalate');
    expect(x.say.en).toContain('7918 6397 07');
    expect(x.say.en).toContain('5521 0042 19');
    expect(x.say.ja).toContain('セキュリティ');
    expect(x.evidence.map((e) => e.stillId)).toEqual(['s1', 's2']);
    expect(x.evidence.every((e) => e.boxes.length >= 2)).toBe(true);
  });

  it('flags the same charge twice (two invoice numbers, same account, same period, same total), offering a credit', () => {
    const f = checkDisputes([
      { stillId: 'a', fields: bill('7918 6397 07', 'INV-2026-35994', '$54.00') },
      { stillId: 'b', fields: bill('7918 6397 07', 'INV-2026-35995', '$54.00') },
    ]);
    expect(f.map((x) => x.kind)).toEqual(['duplicate_charge']);
    expect(f[0]!.amount).toBe(54);
    expect(f[0]!.actions[0]).toBe('credit');
    expect(f[0]!.say.en).toContain('$54.00');
  });

  it('the same bill photographed twice is not a duplicate charge', () => {
    const b = bill('7918 6397 07', 'INV-2026-35994', '$54.00');
    expect(checkDisputes([{ stillId: 'a', fields: b }, { stillId: 'b', fields: b }])).toEqual([]);
  });

  it('flags line items that do not add up to the total', () => {
    const f = checkDisputes([{ stillId: 'a', fields: bill('1', 'INV-2026-1', '$64.00') }]);
    expect(f.map((x) => x.kind)).toEqual(['items_mismatch']);
    expect(f[0]!.say.en).toContain('$54.00');
    expect(f[0]!.say.en).toContain('$10.00');
  });

  it('flags a total that differs from the expected monthly charge, in the customer\'s currency, en + ja', () => {
    const f = checkDisputes([{ stillId: 'a', fields: bill('1', 'INV-2026-1', '$54.00') }], { amount: 45, currency: 'USD' });
    expect(f.map((x) => x.kind)).toEqual(['differs_from_expected']);
    expect(f[0]!.amount).toBe(9);
    expect(f[0]!.say.en).toMatch(/\$9\.00 more than expected/);
    expect(f[0]!.say.ja).toContain('多く');
    expect(checkDisputes([{ stillId: 'a', fields: bill('1', 'INV-2026-1', '$54.00') }], { amount: 54, currency: 'USD' })).toEqual([]);
  });
});
