/**
 * Maps a request path to a file of the built renderer (dist/renderer), shared
 * by the web host and Electron's app:// protocol. Only `/` (the workstation
 * page) and `/assets/*` are served; anything that escapes the root after
 * decoding (../, encoded slashes, NUL) is refused.
 */
import { resolve, sep, extname } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.y4m': 'application/octet-stream',
  '.gz': 'application/gzip',
};

export function mimeFor(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Relative file under the renderer root for a URL path, or null when the path is not served. */
export function staticPathFor(pathname: string): string | null {
  if (pathname === '/' || pathname === '/index.html') return 'app/index.html';
  if (!pathname.startsWith('/assets/')) return null;
  let decoded: string;
  try { decoded = decodeURIComponent(pathname); } catch { return null; }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((seg) => seg === '..' || seg === '.')) return null;
  return decoded.slice(1);
}

/** Absolute path inside rootDir, or null if it would escape it. */
export function resolveInside(rootDir: string, rel: string): string | null {
  const root = resolve(rootDir);
  const full = resolve(root, rel);
  return full.startsWith(root + sep) ? full : null;
}
