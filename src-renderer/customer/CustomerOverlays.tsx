/**
 * What other capabilities draw over the customer's own preview (the agent's
 * annotations). Add ONE line per capability here; each gets the call (its
 * messenger for data-channel namespaces) and the preview <video>.
 */
import type { CustomerCall } from './customer-call';
import { CustomerAnnotationSlot } from '../annotation/customer/CustomerAnnotationSlot';
import { CustomerStillsSlot } from '../stills/CustomerStillsSlot';

export interface CustomerOverlayProps { call: CustomerCall; video: HTMLVideoElement | null }

export function CustomerOverlays(props: CustomerOverlayProps) {
  return <><CustomerAnnotationSlot {...props} /><CustomerStillsSlot {...props} /></>;
}
