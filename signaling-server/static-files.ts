/** The built customer page and its assets (Vite output in staticDir). */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';
import { sendText } from './http-util';
import { inviteStateMetaTag, type InviteState } from './protocol/index';
import { personalizeCustomerPage } from './consent-page';

const MIME: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
};

export function mimeOf(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export const CUSTOMER_PAGE_MISSING = 'The customer page is not built yet. Run `npm run build:web` and reload.\n';

/**
 * Serve dist/renderer/customer/index.html; 503 with a clear text if it is not built.
 * `inviteState` goes into the page's head as the protocol's meta tag (protocol/invite-link.ts), and
 * with the language onto <html>, which shows the page's plain-HTML consent step (consent-page.ts).
 */
export async function serveCustomerPage(res: ServerResponse, staticDir: string, head: boolean, inviteState?: InviteState, locale: 'en' | 'ja' = 'en', page: 'customer' | 'technician' = 'customer'): Promise<void> {
  let html: Buffer;
  try {
    // a technician invite opens the guest's own page (src-renderer/technician/): the customer page stays as small as it was
    html = await readFile(join(staticDir, page, 'index.html'));
  } catch {
    sendText(res, 503, CUSTOMER_PAGE_MISSING);
    return;
  }
  let text = personalizeCustomerPage(html.toString('utf8'), inviteState, locale);
  if (inviteState) text = text.replace('</head>', `${inviteStateMetaTag(inviteState)}\n</head>`);
  html = Buffer.from(text, 'utf8');
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': html.length });
  res.end(head ? undefined : html);
}

/** `/assets/<rel>` -> file under staticDir/assets, never outside it. */
export async function serveAsset(res: ServerResponse, staticDir: string, rel: string, head: boolean): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    sendText(res, 400, 'bad path\n');
    return;
  }
  const root = resolve(staticDir, 'assets');
  const file = resolve(root, decoded);
  if (decoded.includes('\0') || !file.startsWith(root + sep)) {
    sendText(res, 404, 'not found\n');
    return;
  }
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    sendText(res, 404, 'not found\n');
    return;
  }
  // Vite names assets by content hash, so they never change under one name
  res.writeHead(200, { 'Content-Type': mimeOf(file), 'Content-Length': size, 'Cache-Control': 'public, max-age=31536000, immutable' });
  if (head) {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
