import { describe, expect, it } from 'vitest';
import { cardDigits, findCards } from '../../../src-main/bills/cards';
import { maskText } from '../../../src-main/bills/mask';
import { pageOf } from './page';

describe('card numbers: which digit runs are cards', () => {
  it('13-19 digits passing Luhn in any grouping, with or without a glued expiry', () => {
    expect(cardDigits('4111 1111 1111 1111')).toBe('4111111111111111');
    expect(cardDigits('4111-1111-1111-1111')).toBe('4111111111111111');
    expect(cardDigits('4111111111111111')).toBe('4111111111111111');
    expect(cardDigits('3714 496353 98431')).toBe('371449635398431');
    expect(cardDigits('4222222222222')).toBe('4222222222222');
    expect(cardDigits('4111 1111 1111 1111 12/27')).toBe('4111111111111111');
    expect(cardDigits('41111111111111111227')).toBe('4111111111111111');
  });

  it('a number grouped as a card is one even when a digit was misread (Luhn fails)', () => {
    expect(cardDigits('4111 1111 1111 1112')).toBe('4111111111111112');
    expect(cardDigits('3714 496353 98432')).toBe('371449635398432');
  });

  it('references, timestamps, account numbers and columns of numbers are not cards', () => {
    expect(cardDigits('4829105736125')).toBeNull(); // 13-digit reference, Luhn fails
    expect(cardDigits('20260312104217')).toBeNull(); // timestamp
    expect(cardDigits('12345678 90123456')).toBeNull(); // two 8-digit columns
    expect(cardDigits('000164270080')).toBeNull(); // 12 digits
  });

  it('finds the cards of a page with their boxes, leaves amounts and references', () => {
    const page = pageOf('NORTHWIND BANK\nCard number 4539 1488 0343 6467\nAmex 3714 496353 98431\nReference 4829105736125\nTotal 10.94 0.66 10.94 0.66\nAmount due $1,284.56');
    const hits = findCards(page);
    expect(hits.map((h) => h.last4)).toEqual(['6467', '8431']);
    expect(hits.every((h) => h.box.w > 0 && h.box.h > 0)).toBe(true);
  });

  it('the text keeps the card\'s own last four, not the expiry\'s', () => {
    expect(maskText('VISA 4111 1111 1111 1111 12/27')).toBe('VISA **** **** **** 1111 **/**');
    expect(maskText('Ref 4829105736125')).toBe('Ref 4829105736125');
  });
});
