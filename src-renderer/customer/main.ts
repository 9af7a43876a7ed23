/**
 * The customer page's entry: tiny on purpose. The page's styles are inlined into its HTML at
 * build time (vite.config.ts) and the server shows the consent step before any script runs;
 * this module lets that step paint first, then evaluates the page (boot.ts), whose chunks
 * the HTML has already asked for (modulepreload) while the customer reads.
 */
import './customer.css';
import { afterFirstPaint } from './after-paint';

afterFirstPaint(() => { void import('./boot'); });
