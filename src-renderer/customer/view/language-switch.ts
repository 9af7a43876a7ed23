/** The en/ja switch in the customer page's header (plain-DOM twin of ui/LanguageSwitch). */
import { getLocale, LOCALE_NAMES, LOCALES, setLocale, type Locale } from '../../i18n';
import { h, part, type Part } from '../../ui/dom';

/** `label` names the switch in both languages, so it needs no translation. */
export function languageSwitch(label: string): Part {
  const select = h('select', { 'data-testid': 'language', 'aria-label': label }, ...LOCALES.map((l) => h('option', { value: l }, LOCALE_NAMES[l])));
  select.addEventListener('change', () => setLocale(select.value as Locale));
  return part(h('label', { class: 'lang-switch' }, h('span', { class: 'sr-only' }, label), select), () => {
    if (select.value !== getLocale()) select.value = getLocale();
  });
}
