/**
 * Locks every web contents to the app (after Signal Desktop's
 * handleCommonWindowEvents): no navigation or redirect away from
 * app://workstation, no new windows, no <webview>. Decisions come from
 * ../security/navigation.ts (unit tested in Node); this file only wires them.
 */
import { shell, type WebContents } from 'electron';
import { decideWindowOpen, isAllowedNavigation } from '../security/navigation';
import type { Logger } from '../log';

export function handleCommonWindowEvents(contents: WebContents, log: Logger): void {
  const block = (kind: string) => (event: { preventDefault(): void; url: string }) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    log.warn(`${kind} blocked`, { url: event.url.slice(0, 200) });
  };
  contents.on('will-navigate', block('navigation'));
  contents.on('will-frame-navigate', block('frame navigation'));
  contents.on('will-redirect', block('redirect'));

  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternal) {
      shell.openExternal(decision.openExternal).catch((err: unknown) => log.warn('openExternal failed', { error: String(err) }));
    } else {
      log.warn('window.open denied', { url: url.slice(0, 200) });
    }
    return { action: 'deny' };
  });

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview attach blocked');
  });
}
