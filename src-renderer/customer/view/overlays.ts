/**
 * What other capabilities draw over the customer's own preview (the agent's annotations,
 * stills), loaded lazily once the call is connected (live.ts). Add ONE line per capability
 * here; each gets the messenger (data-channel namespaces), the preview <video> and, where
 * it needs the camera itself, the shared stream — never the whole call.
 */
import { mountCustomerAnnotation } from '../../annotation/customer/customer-annotation-layer';
import { mountCustomerStills, type CustomerStillsOverlayDeps } from '../../stills/customer-stills-overlay';

/** What the overlays get: the stills overlay needs the most of them (its pace comes from the quality ladder). */
export type CustomerOverlayDeps = CustomerStillsOverlayDeps;

/** Mounts every overlay into `host` (the preview's overlay layer); returns their unmount. */
export function mountOverlays(host: HTMLElement, d: CustomerOverlayDeps): () => void {
  const offs = [
    mountCustomerAnnotation(host, { messenger: d.messenger, video: d.video }),
    mountCustomerStills(host, d),
  ];
  return () => { for (const off of offs) off(); };
}
