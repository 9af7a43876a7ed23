/**
 * zod as every protocol module uses it. In the pages (strict CSP, no
 * 'unsafe-eval') zod would probe `new Function` on first use, which the
 * browser reports as a CSP violation; its interpreter is used there anyway,
 * so say so up front. Node keeps the faster JIT path.
 */
import { z } from 'zod';

if ('document' in globalThis) z.config({ jitless: true });

export { z };
