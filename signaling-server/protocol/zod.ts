/**
 * zod as every protocol module uses it: `zod/mini`, the functional API
 * (z.strictObject, z.optional(x), x.check(z.maxLength(n)), z.extend(...)).
 * The customer's page builds every schema below at module evaluation; mini
 * schemas cost about half of classic ones to build and carry no method API,
 * so the page's script is smaller and evaluates faster (docs/PERFORMANCE.md).
 * Parsing, issues and messages are classic zod's (the same core; the English
 * messages classic loads by default are loaded here), so bad input gets the
 * same typed errors. Mini schemas nest inside classic ones and back.
 *
 * In the pages (strict CSP, no 'unsafe-eval') zod would probe `new Function`
 * on first use, which the browser reports as a CSP violation; its
 * interpreter is used there anyway, so say so up front. Node keeps the
 * faster JIT path.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';

z.config(en());
if ('document' in globalThis) z.config({ jitless: true });

export { z };
