/** One-line mount for the customer page's overlays (over the camera preview). */
import { useCallback } from 'react';
import '../globals';
import type { Messenger } from '../../call/peer/data-channel';
import { CustomerAnnotationLayer } from './CustomerAnnotationLayer';
import type { CustomerAnnotator } from './customer-annotator';

export function CustomerAnnotationSlot({ messenger, video }: { messenger: Messenger; video: HTMLVideoElement | null }) {
  const publish = useCallback((a: CustomerAnnotator | null) => { window.__annotationCustomer = a; }, []);
  return <CustomerAnnotationLayer video={video} messenger={messenger} onAnnotator={publish} />;
}
