/** The built supervisor page (Vite output in staticDir/supervisor/index.html). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { sendText } from '../http-util';

export async function serveSupervisorPage(res: ServerResponse, staticDir: string, head: boolean): Promise<void> {
  let html: Buffer;
  try {
    html = await readFile(join(staticDir, 'supervisor', 'index.html'));
  } catch {
    sendText(res, 503, 'The supervisor page is not built yet. Run `npm run build:web` and reload.\n');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': html.length });
  res.end(head ? undefined : html);
}
