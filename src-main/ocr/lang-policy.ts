/**
 * The OcrLanguages policy: which languages bills may be read in. ['jpn']
 * allows Japanese only, ['eng'] English only, both allow either and the two
 * together. Main checks every request (the renderer only offers what is
 * allowed), so a kiosk that must not load a language never does.
 */
import type { OcrLang } from './lang-data';

export function allowedOcrLangs(languages: readonly string[]): OcrLang[] {
  const eng = languages.includes('eng');
  const jpn = languages.includes('jpn');
  return [...(eng ? ['eng' as const] : []), ...(jpn ? ['jpn' as const] : []), ...(eng && jpn ? ['eng+jpn' as const] : [])];
}

/** null when allowed; otherwise why not, for a typed 'forbidden' answer. */
export function ocrLangRefusal(lang: OcrLang, languages: readonly string[]): string | null {
  const allowed = allowedOcrLangs(languages);
  return allowed.includes(lang) ? null : `reading bills in ${lang} is turned off by your organisation (allowed: ${allowed.join(', ') || 'none'})`;
}
