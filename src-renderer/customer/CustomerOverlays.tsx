/**
 * What other capabilities draw over the customer's own preview (the agent's
 * annotations, stills). Add ONE line per capability here; each gets the
 * messenger (data-channel namespaces), the preview <video> and, where it
 * needs the camera itself, the shared stream — never the whole call.
 */
import type { Messenger } from '../call/peer/data-channel';
import { CustomerAnnotationSlot } from '../annotation/customer/CustomerAnnotationSlot';
import { CustomerStillsSlot } from '../stills/CustomerStillsSlot';

export interface CustomerOverlayProps {
  messenger: Messenger; video: HTMLVideoElement | null; localStream: MediaStream | null;
  /** Bytes per second a still may use of a weak uplink now (null: unpaced); from the quality ladder. */
  stillPace: () => number | null;
}

export function CustomerOverlays({ messenger, video, localStream, stillPace }: CustomerOverlayProps) {
  return <><CustomerAnnotationSlot messenger={messenger} video={video} /><CustomerStillsSlot messenger={messenger} video={video} localStream={localStream} pace={stillPace} /></>;
}
