/**
 * What other capabilities draw over the customer's own preview (the agent's
 * annotations). Add ONE line per capability here; each gets the call (its
 * messenger for data-channel namespaces) and the preview <video>.
 */
import type { CustomerCall } from './customer-call';

export interface CustomerOverlayProps { call: CustomerCall; video: HTMLVideoElement | null }

export function CustomerOverlays(_props: CustomerOverlayProps) {
  return <>{/* e.g. <CustomerAnnotationLayer {..._props} /> */}</>;
}
