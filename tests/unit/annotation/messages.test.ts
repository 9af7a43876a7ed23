import { describe, expect, it } from 'vitest';
import { allCatalogs, setLocale } from '../../../src-renderer/i18n';
import { t } from '../../../src-renderer/annotation/messages';

describe('annotation strings', () => {
  it('exist in English and Japanese with the same keys and placeholders', () => {
    const cat = allCatalogs().get('annotation')!;
    expect(Object.keys(cat.ja).sort()).toEqual(Object.keys(cat.en).sort());
    for (const k of Object.keys(cat.en)) {
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(ph(cat.ja[k]!), k).toEqual(ph(cat.en[k]!));
      expect(cat.ja[k], k).not.toBe('');
    }
  });

  it('switches language for tooltips', () => {
    setLocale('ja');
    expect(t('shortcut', { label: t('arrow'), key: 'A' })).toBe('矢印（A）');
    setLocale('en');
    expect(t('shortcut', { label: t('arrow'), key: 'A' })).toBe('Arrow (A)');
  });
});
