import { LOCALES, setLocale, type Locale } from '../i18n';
import { useLocale } from '../i18n/react';

const NAMES: Record<Locale, string> = { en: 'English', ja: '日本語' };

/** en/ja switch; language names are shown in their own language, so they need no translation. */
export function LanguageSwitch({ label }: { label: string }) {
  const locale = useLocale();
  return (
    <label className="lang-switch">
      <span className="sr-only">{label}</span>
      <select data-testid="language" value={locale} onChange={(e) => setLocale(e.target.value as Locale)} aria-label={label}>
        {LOCALES.map((l) => <option key={l} value={l}>{NAMES[l]}</option>)}
      </select>
    </label>
  );
}
