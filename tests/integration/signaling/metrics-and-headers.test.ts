/**
 * /metrics can be restricted (a bearer token, or an address allow-list), and
 * a client that trickles its request headers is cut off within seconds of
 * the header time-out, not after Node's 30 s connection sweep.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignalingServer } from '../../../signaling-server/server';
import { startServer } from './harness';

let server: SignalingServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

describe('/metrics access', () => {
  it('asks for the configured bearer token', async () => {
    ({ server } = await startServer({ metricsAccess: { token: 'metrics-token-0123456789abcdef' } }));
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789abcdef' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('signaling_');
  });

  it('answers only addresses on the allow-list', async () => {
    ({ server } = await startServer({ metricsAccess: { allow: ['10.0.0.0/8'] } }));
    expect((await fetch(`${server.url}/metrics`)).status).toBe(403);
    await server.close();
    ({ server } = await startServer({ metricsAccess: { allow: ['loopback'] } }));
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });
});

describe('slow request headers', () => {
  it('are cut off within seconds of the header time-out', async () => {
    ({ server } = await startServer({ limits: { headersTimeoutMs: 1000 } }));
    const port = server.port;
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
        // one header byte every 300 ms: never a complete request
        const t = setInterval(() => { if (!sock.destroyed) sock.write('X'); }, 300);
        sock.on('close', () => { clearInterval(t); resolve(Date.now() - started); });
        sock.on('error', () => undefined);
        setTimeout(() => sock.destroy(), 20_000);
      });
    });
    expect(closedAfter).toBeLessThan(5000);
  }, 25_000);
});
