import { describe, expect, it } from 'vitest';
import { setLocale } from '../../../src-renderer/i18n';
import { formatMoney, parseMoney } from '../../../src-renderer/cases/money';

describe('money in the case panel', () => {
  it('reads what the agent types into minor units of the account currency', () => {
    expect(parseMoney('12.50', 'USD')).toBe(1250);
    expect(parseMoney('1,200', 'JPY')).toBe(1200);
    expect(parseMoney('３００', 'JPY')).toBe(300); // full-width digits from a Japanese IME
    expect(parseMoney('300', 'USD')).toBe(30000);
    expect(parseMoney('1.5', 'JPY')).toBeNull(); // yen has no minor unit
    expect(parseMoney('1.234', 'USD')).toBeNull();
    expect(parseMoney('-5', 'USD')).toBeNull();
    expect(parseMoney('abc', 'USD')).toBeNull();
  });

  it('formats amounts for the UI language', () => {
    setLocale('en');
    expect(formatMoney(6999, 'USD')).toBe('$69.99');
    expect(formatMoney(5980, 'JPY')).toBe('¥5,980');
    setLocale('ja');
    expect(formatMoney(5980, 'JPY')).toMatch(/^[¥￥]5,980$/);
    setLocale('en');
  });
});
