/**
 * Where the workstation window may go. The window only ever shows the app; a
 * link or script that tries to navigate elsewhere (phishing page, file://,
 * javascript:) is blocked, and new windows are never opened. Some external
 * https links (help pages) may open in the user's browser, and only those on
 * the allowlist, so a malicious link cannot launch arbitrary protocol handlers
 * (ms-msdt:, smb:, file:) through shell.openExternal.
 */
import { isAppUrl, parseUrl } from './app-origin';

/** May the main window navigate (or be redirected) to this URL? */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

export const DEFAULT_EXTERNAL_HOSTS: readonly string[] = ['github.com', 'www.electronjs.org'];

export type WindowOpenDecision = { action: 'deny'; openExternal?: string };

/** What to do with window.open / target=_blank: always deny a new window; maybe hand an allowlisted https URL to the OS browser. */
export function decideWindowOpen(url: string, externalHosts: readonly string[] = DEFAULT_EXTERNAL_HOSTS): WindowOpenDecision {
  return isAllowedExternal(url, externalHosts) ? { action: 'deny', openExternal: new URL(url).toString() } : { action: 'deny' };
}

export function isAllowedExternal(url: string, externalHosts: readonly string[] = DEFAULT_EXTERNAL_HOSTS): boolean {
  const u = parseUrl(url);
  if (!u || u.protocol !== 'https:' || u.username || u.password || u.port) return false;
  return externalHosts.includes(u.hostname.toLowerCase());
}
