/**
 * What other capabilities draw over the customer's own preview (the agent's annotations,
 * stills), loaded lazily once the call is connected (live.ts). Add ONE line per capability
 * here; each gets the messenger (data-channel namespaces), the preview <video> and, where
 * it needs the camera itself, the shared stream — never the whole call.
 */
import type { Messenger } from '../../call/peer/data-channel';
import { mountCustomerAnnotation } from '../../annotation/customer/customer-annotation-layer';
import { mountCustomerStills } from '../../stills/customer-stills-overlay';

export interface CustomerOverlayDeps {
  messenger: Messenger;
  video: HTMLVideoElement;
  localStream: () => MediaStream | null;
  /** Bytes per second a still may use of a weak uplink now (null: unpaced); from the quality ladder. */
  stillPace: () => number | null;
}

/** Mounts every overlay into `host` (the preview's overlay layer); returns their unmount. */
export function mountOverlays(host: HTMLElement, d: CustomerOverlayDeps): () => void {
  const offs = [
    mountCustomerAnnotation(host, { messenger: d.messenger, video: d.video }),
    mountCustomerStills(host, { messenger: d.messenger, video: d.video, localStream: d.localStream, pace: d.stillPace }),
  ];
  return () => { for (const off of offs) off(); };
}
