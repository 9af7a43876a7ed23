import { useSyncExternalStore } from 'react';
import { getLocale, onLocaleChange, type Locale } from './index';

/** Re-render a component when the UI language changes. */
export function useLocale(): Locale {
  return useSyncExternalStore(onLocaleChange, getLocale, getLocale);
}
