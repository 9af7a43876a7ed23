import { LOCALE_NAMES, LOCALES, setLocale, type Locale } from '../i18n';
import { useLocale } from '../i18n/react';

/** en/ja switch; language names are shown in their own language, so they need no translation. */
export function LanguageSwitch({ label }: { label: string }) {
  const locale = useLocale();
  return (
    <label className="lang-switch">
      <span className="sr-only">{label}</span>
      <select data-testid="language" value={locale} onChange={(e) => setLocale(e.target.value as Locale)} aria-label={label}>
        {LOCALES.map((l) => <option key={l} value={l}>{LOCALE_NAMES[l]}</option>)}
      </select>
    </label>
  );
}
