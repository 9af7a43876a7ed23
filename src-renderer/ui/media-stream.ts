/**
 * A media element (<video> or <audio>) bound to a MediaStream and played, on the output
 * device `sinkId` where one is given. Framework-free: the React hook (media-element.ts) and
 * the customer's plain-DOM page (customer/view/media.ts) both bind through these.
 */
type SinkElement = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };

/** Attach `stream` (or detach with null) and start playback; a blocked autoplay starts at the next user gesture. */
export function attachStream(el: HTMLMediaElement, stream: MediaStream | null): void {
  if (el.srcObject !== stream) el.srcObject = stream;
  if (stream) el.play().catch(() => { /* autoplay blocked: the next user gesture starts it */ });
}

/** Play on the output device `sinkId` (undefined or null: leave the element's device alone). */
export function applySinkId(el: HTMLMediaElement, sinkId: string | null | undefined): void {
  const s = el as SinkElement;
  if (sinkId === undefined || sinkId === null || typeof s.setSinkId !== 'function') return;
  s.setSinkId(sinkId).catch((err: Error) => console.warn('setSinkId failed', err.message));
}
