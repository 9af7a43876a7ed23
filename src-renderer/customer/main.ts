/**
 * The customer page's entry: tiny on purpose. The page's styles are inlined into its HTML at
 * build time (vite.config.ts) and the server shows the consent step before any script runs;
 * this module lets that step paint first, then evaluates the page (boot.ts), whose chunks
 * the HTML has already asked for (modulepreload) while the customer reads.
 */
import './customer.css';
import { afterFirstPaint } from './after-paint';

declare global {
  interface Window { __vaBootAt?: number }
}

afterFirstPaint(() => {
  // When the page's code was let run (the bench's evaluate time starts here or at its last byte, whichever is later).
  window.__vaBootAt = performance.now();
  void import('./boot');
});
