/**
 * i18n for every user-facing string (English and Japanese). Each capability
 * declares its own catalog with defineMessages(); the Japanese catalog must
 * have exactly the English keys (the type system checks it), so a string
 * cannot ship in one language only.
 */
export type Locale = 'en' | 'ja';
export const LOCALES: readonly Locale[] = ['en', 'ja'];
/** Each language's name in that language (a language switch shows these; they need no translation). */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', ja: '日本語' };

type Params = Record<string, string | number>;
type Listener = (l: Locale) => void;

let current: Locale = detectLocale();
const listeners = new Set<Listener>();
const registry = new Map<string, { en: Record<string, string>; ja: Record<string, string> }>();

export function detectLocale(): Locale {
  const langs = typeof navigator !== 'undefined' ? navigator.languages ?? [navigator.language] : [];
  for (const l of langs) {
    const base = l?.toLowerCase().split('-')[0];
    if (base === 'ja' || base === 'en') return base;
  }
  return 'en';
}

export function getLocale(): Locale { return current; }

export function setLocale(l: Locale): void {
  if (l === current) return;
  current = l;
  if (typeof document !== 'undefined') document.documentElement.lang = l;
  for (const fn of listeners) fn(l);
}

export function onLocaleChange(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Fill {name} placeholders. */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/**
 * Declare a namespace's strings. Returns t(key, params) for the current locale.
 * `ja` must carry every key of `en` and no other.
 */
export function defineMessages<K extends string>(ns: string, en: Record<K, string>, ja: Record<K, string>) {
  registry.set(ns, { en, ja });
  const t = (key: K, params?: Params): string => format((current === 'ja' ? ja : en)[key] ?? en[key] ?? key, params);
  return t;
}

/** For tests: every namespace and its catalogs. */
export function allCatalogs(): ReadonlyMap<string, { en: Record<string, string>; ja: Record<string, string> }> {
  return registry;
}
