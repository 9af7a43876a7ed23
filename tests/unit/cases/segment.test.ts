import { describe, expect, it } from 'vitest';
import { indexText, matchExpression, snippet } from '../../../src-main/cases/segment';

describe('search segmentation', () => {
  it('splits Japanese runs into overlapping bigrams and keeps English words', () => {
    expect(indexText('請求書')).toBe('請求 求書');
    expect(indexText('NTTの請求書 was charged twice')).toBe('ntt の請 請求 求書 was charged twice');
  });

  it('folds full-width letters and digits (NFKC) so ＡＢＣ１２３ finds ABC123', () => {
    expect(indexText('ＡＢＣ１２３')).toBe('abc123');
  });

  it('turns a Japanese query into a phrase of bigrams and English words into terms', () => {
    expect(matchExpression('二重請求')).toBe('"二重 重請 請求"');
    expect(matchExpression('請求')).toBe('"請求"');
    expect(matchExpression('請')).toBe('"請"*');
    expect(matchExpression('double bill')).toBe('"double" AND "bill"');
    // A prefix only when asked for.
    expect(matchExpression('rout* bill')).toBe('"rout"* AND "bill"');
  });

  it('neutralises FTS5 syntax in what the agent types', () => {
    expect(matchExpression('"a" OR NEAR(b)')).toBe('"a" AND "or" AND "near" AND "b"');
    expect(matchExpression('*** --- ()')).toBeNull();
  });

  it('cuts a snippet around the first match', () => {
    const long = `${'x '.repeat(200)}the router blinks red ${'y '.repeat(200)}`;
    const s = snippet(long, 'router');
    expect(s).toContain('router blinks');
    expect(s.length).toBeLessThanOrEqual(122);
  });
});
