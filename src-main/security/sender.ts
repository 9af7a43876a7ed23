/**
 * Which frames may call the main process over IPC: only the app's own top
 * frame. A subframe (an ad, an injected iframe) or a page that somehow
 * navigated elsewhere gets 'forbidden_sender' even though it shares the
 * preload, so a compromise of web content cannot reach the case cache.
 */
import { isAppUrl } from './app-origin';

/** The parts of Electron's WebFrameMain this check reads (plain objects stand in for it in tests). */
export interface SenderFrameLike {
  url: string;
  parent: SenderFrameLike | null;
}

export type SenderCheck = { ok: true } | { ok: false; reason: string };

export function checkSender(frame: SenderFrameLike | null | undefined): SenderCheck {
  if (!frame) return { ok: false, reason: 'sender frame is gone (navigated or destroyed)' };
  if (frame.parent !== null) return { ok: false, reason: 'sender is a subframe' };
  if (!isAppUrl(frame.url)) return { ok: false, reason: 'sender is not the app origin' };
  return { ok: true };
}
