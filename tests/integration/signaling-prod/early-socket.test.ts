/**
 * The customer page's served HTML opens the signaling socket while the page's code loads
 * (signaling-server/consent-page.ts); the code takes it over (connectSignaling's `early`).
 * Against a real signaling node, with the `ws` package standing in for the browser's
 * WebSocket (Node 20 has none; the browser path is in tests/e2e/consent.spec.ts): the socket
 * is reused, a frame that arrived before the code did is delivered to its handlers in order,
 * and a socket that closed or went to another address is not adopted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectSignaling, type EarlySocket } from '../../../src-renderer/call/signaling-client';
import { startSignalingServer, type SignalingServer } from '../../../signaling-server/server';

let node: SignalingServer;
const g = globalThis as unknown as { WebSocket?: unknown };
const hadWebSocket = 'WebSocket' in g;
const before = g.WebSocket;
beforeAll(async () => {
  g.WebSocket = WebSocket;
  node = await startSignalingServer({ secret: 'early-socket-secret-0123456789', port: 0, log: () => {} });
});
afterAll(async () => {
  await node?.close();
  if (hadWebSocket) g.WebSocket = before; else delete g.WebSocket;
});

/** What the page's inline script does: open, and queue every frame until the code takes over. */
function earlySocket(url: string): EarlySocket {
  const queue: string[] = [];
  const ws = new WebSocket(url) as unknown as globalThis.WebSocket;
  ws.onmessage = (e) => { queue.push(e.data as string); };
  // A browser reports a socket closed while connecting as an error event; `ws` throws it when nobody listens.
  ws.onerror = () => {};
  return { ws, queue };
}

const opened = (ws: globalThis.WebSocket) => new Promise<void>((ok) => { if (ws.readyState === 1) ok(); else ws.addEventListener('open', () => ok()); });

describe('taking over the socket the served page opened', () => {
  it('reuses an open early socket: a frame that came before the code is delivered first, in order, to the handlers the caller adds', async () => {
    const early = earlySocket(node.wsUrl);
    await opened(early.ws);
    // The server answers a frame it cannot read with a typed error: it arrives before anyone listens.
    early.ws.send('not json');
    await new Promise((ok) => setTimeout(ok, 100));
    expect(early.queue).toHaveLength(1);
    const seen: string[] = [];
    const sig = await connectSignaling(node.wsUrl, 5000, early).then((s) => {
      s.on('error', (m) => seen.push(`error:${m.code}`));
      s.on('pong', () => seen.push('pong'));
      return s;
    });
    expect(sig.socket).toBe(early.ws);
    expect(sig.open).toBe(true);
    expect(sig.send({ type: 'ping' })).toBe(true);
    await expect.poll(() => seen, { timeout: 3000 }).toEqual(['error:bad_frame', 'pong']);
    expect(early.queue).toHaveLength(0);
    sig.close();
  });

  it('takes over a socket that is still connecting and resolves once it opens', async () => {
    const early = earlySocket(node.wsUrl);
    expect(early.ws.readyState).toBe(0);
    const sig = await connectSignaling(node.wsUrl, 5000, early);
    expect(sig.socket).toBe(early.ws);
    const pong = new Promise<void>((ok) => sig.on('pong', () => ok()));
    sig.send({ type: 'ping' });
    await pong;
    sig.close();
  });

  it('opens a new socket when the early one has closed, and closes an early one that went elsewhere', async () => {
    const closed = earlySocket(node.wsUrl);
    await opened(closed.ws);
    closed.ws.close();
    await new Promise((ok) => setTimeout(ok, 100));
    const a = await connectSignaling(node.wsUrl, 5000, closed);
    expect(a.socket).not.toBe(closed.ws);
    expect(a.open).toBe(true);
    a.close();

    const elsewhere = earlySocket(node.wsUrl.replace('/ws', '/ws?other'));
    const b = await connectSignaling(node.wsUrl, 5000, elsewhere);
    expect(b.socket).not.toBe(elsewhere.ws);
    await expect.poll(() => elsewhere.ws.readyState, { timeout: 3000 }).toBe(3);
    b.close();
  });
});
