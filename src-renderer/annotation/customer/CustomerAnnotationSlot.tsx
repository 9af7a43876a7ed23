/** One-line mount for the customer page's overlays (over the camera preview). */
import { useCallback } from 'react';
import '../globals';
import type { CustomerCall } from '../../customer/customer-call';
import { CustomerAnnotationLayer } from './CustomerAnnotationLayer';
import type { CustomerAnnotator } from './controller';


export function CustomerAnnotationSlot({ call, video }: { call: CustomerCall; video: HTMLVideoElement | null }) {
  const publish = useCallback((a: CustomerAnnotator | null) => { window.__annotationCustomer = a; }, []);
  return <CustomerAnnotationLayer video={video} messenger={call.messenger} onAnnotator={publish} />;
}
