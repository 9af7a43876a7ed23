/**
 * What the build does to the customer's page (src-renderer/customer/index.html) so that
 * nothing stands between its HTML and the consent step's first paint:
 * - the consent step as plain HTML, both languages (consent-markup.ts), in place of its marker;
 * - the page's stylesheets inlined as <style> (no render-blocking request; the page's CSS is
 *   a few kB, and the signaling server serves the page uncached anyway, with the invite's state);
 * - a modulepreload for the page's code (boot.ts and its chunks), which the tiny entry
 *   (main.ts) imports only after the first paint: fetched in parallel, evaluated after.
 * The lazily loaded overlays (Konva) are not preloaded.
 */
import type { Plugin } from 'vite';
import { CONSENT_PLACEHOLDER, consentMarkup } from '../src-renderer/customer/consent-markup';

type Bundle = Record<string, { type: 'chunk'; imports: string[]; dynamicImports: string[] } | { type: 'asset'; source: string | Uint8Array }>;

const isCustomerPage = (html: string) => html.includes(CONSENT_PLACEHOLDER) || html.includes('id="consent-static"');

export function customerPagePlugin(): Plugin[] {
  return [
    {
      name: 'va-static-consent',
      transformIndexHtml: (html: string) => (html.includes(CONSENT_PLACEHOLDER) ? html.replace(CONSENT_PLACEHOLDER, consentMarkup()) : html),
    },
    {
      name: 'va-customer-page-first-paint',
      apply: 'build',
      transformIndexHtml: {
        order: 'post',
        handler(html, ctx) {
          if (!isCustomerPage(html) || !ctx.bundle || !ctx.chunk) return html;
          const bundle = ctx.bundle as unknown as Bundle;
          const base = '/';
          // 1. stylesheets inline
          let out = html.replace(/<link rel="stylesheet"[^>]*href="([^"]+\.css)"[^>]*>/g, (tag, href: string) => {
            const file = href.startsWith(base) ? href.slice(base.length) : href;
            const asset = bundle[file];
            if (!asset || asset.type !== 'asset') throw new Error(`customer page: stylesheet ${href} not in the bundle`);
            const css = typeof asset.source === 'string' ? asset.source : new TextDecoder().decode(asset.source);
            if (/<\/style/i.test(css)) throw new Error(`customer page: ${href} cannot be inlined`);
            return `<style>${css.trim()}</style>`;
          });
          // 2. the page's code, imported by the entry after the first paint: preload it and its static imports
          const preload = new Set<string>();
          const walk = (file: string) => {
            const c = bundle[file];
            if (!c || c.type !== 'chunk' || preload.has(file)) return;
            preload.add(file);
            for (const f of c.imports) walk(f);
          };
          for (const f of (ctx.chunk as unknown as { dynamicImports: string[] }).dynamicImports) walk(f);
          const already = (f: string) => out.includes(`href="${base}${f}"`) || out.includes(`src="${base}${f}"`);
          const links = [...preload].filter((f) => !already(f)).map((f) => `<link rel="modulepreload" crossorigin href="${base}${f}">`).join('\n    ');
          if (links) out = out.replace(/\s*<\/head>/, `\n    ${links}\n  </head>`);
          return out;
        },
      },
    },
  ];
}
