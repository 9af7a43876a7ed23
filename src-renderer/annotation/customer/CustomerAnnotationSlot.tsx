/** One-line mount for the customer page's overlays (over the camera preview). */
import { useCallback } from 'react';
import type { CustomerCall } from '../../customer/customer-call';
import { CustomerAnnotationLayer } from './CustomerAnnotationLayer';
import type { CustomerAnnotator } from './controller';

declare global {
  interface Window {
    /** Published for the e2e tests and the benchmark (draw-time probes); nothing else reads it. */
    __annotationCustomer?: CustomerAnnotator | null;
  }
}

export function CustomerAnnotationSlot({ call, video }: { call: CustomerCall; video: HTMLVideoElement | null }) {
  const publish = useCallback((a: CustomerAnnotator | null) => { window.__annotationCustomer = a; }, []);
  return <CustomerAnnotationLayer video={video} messenger={call.messenger} onAnnotator={publish} />;
}
