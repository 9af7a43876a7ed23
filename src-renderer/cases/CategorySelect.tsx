import { useLocale } from '../i18n/react';
import { t } from './messages';

/**
 * The issue categories an agent files a case under. First-contact
 * resolution counts a repeat contact only on the same category (docs/KPIS.md),
 * so the choice is a fixed list of slugs, never free text.
 */
export const ISSUE_CATEGORIES = ['billing', 'connectivity', 'equipment', 'installation', 'account', 'outage', 'other'] as const;
export type IssueCategorySlug = typeof ISSUE_CATEGORIES[number];

const LABEL = {
  billing: 'catBilling', connectivity: 'catConnectivity', equipment: 'catEquipment', installation: 'catInstallation',
  account: 'catAccount', outage: 'catOutage', other: 'catOther',
} as const satisfies Record<IssueCategorySlug, string>;

/** The label of a category slug (an unknown slug, e.g. from a newer app, as itself). */
export function categoryLabel(slug: string): string {
  return slug in LABEL ? t(LABEL[slug as IssueCategorySlug]) : slug;
}

export function CategorySelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  useLocale();
  return (
    <label>{t('category')}
      <select name="category" data-testid="case-category" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('catNone')}</option>
        {ISSUE_CATEGORIES.map((c) => <option key={c} value={c}>{t(LABEL[c])}</option>)}
      </select>
    </label>
  );
}
