import { describe, expect, it } from 'vitest';
import { toE164 } from '../../../src-main/cases/phone';

describe('E.164 normalisation', () => {
  it.each([
    ['+1 415 555 2671', 'US', '+14155552671'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['14155552671', 'US', '+14155552671'],
    ['tel:+1-415-555-2671', 'US', '+14155552671'],
    ['03-1234-5678', 'JP', '+81312345678'],
    ['090-1234-5678', 'JP', '+819012345678'],
    ['+81 3 1234 5678', 'US', '+81312345678'],
    ['0081312345678', 'US', '+81312345678'],
    ['020 7946 0958', 'GB', '+442079460958'],
  ])('%s (region %s) → %s', (raw, region, e164) => {
    expect(toE164(raw, region)).toBe(e164);
  });

  it('refuses what is not a phone number', () => {
    expect(toE164('hello', 'US')).toBeNull();
    expect(toE164('123', 'US')).toBeNull();
    expect(toE164('', 'US')).toBeNull();
    expect(toE164('9'.repeat(60), 'US')).toBeNull();
  });
});
