/**
 * A local generic-provider update feed (what a corporate update server
 * serves): latest-linux.yml / latest.yml / latest-mac.yml and one installer
 * file, with every request recorded.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedRequest { method: string; path: string; headers: IncomingHttpHeaders }

export interface FeedServer {
  url: string;
  requests: FeedRequest[];
  setStagingPercentage(p: number | string | null): void;
  close(): Promise<void>;
}

export async function startFeedServer(version = '0.2.0'): Promise<FeedServer> {
  const installer = Buffer.from(`not really a deb ${version}\n`.repeat(100));
  const file = `visual-assist-workstation_${version}_amd64.deb`;
  const sha512 = createHash('sha512').update(installer).digest('base64');
  let staging: number | string | null = null;
  const requests: FeedRequest[] = [];
  const yml = () => [
    `version: ${version}`,
    'files:',
    `  - url: ${file}`,
    `    sha512: ${sha512}`,
    `    size: ${installer.length}`,
    `path: ${file}`,
    `sha512: ${sha512}`,
    `releaseDate: '2026-12-01T00:00:00.000Z'`,
    ...(staging === null ? [] : [`stagingPercentage: ${staging}`]),
    '',
  ].join('\n');
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    if (/^\/latest(-linux|-mac)?(-arm64)?\.yml$/.test(path)) {
      res.writeHead(200, { 'content-type': 'text/yaml' }).end(yml());
    } else if (path === `/${file}`) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': installer.length }).end(installer);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    setStagingPercentage: (p) => { staging = p; },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
