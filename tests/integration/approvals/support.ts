/**
 * Shared by the approvals tests: authenticated sockets that collect their
 * frames, the HTTP API with a bearer token, and a credit request. Each takes
 * an endpoint (a started server, or one node's own address behind a shared
 * public URL).
 */
import WebSocket from 'ws';

export interface Endpoint { url: string, wsUrl: string }

/** Every socket opened here; a test file closes them after each test (closeSockets). */
const sockets: WebSocket[] = [];
export function closeSockets(): void {
  for (const s of sockets.splice(0)) s.close();
}

export type Frame = Record<string, unknown>;

/** An authenticated socket collecting the frames it receives. */
export async function socket(s: Endpoint, token: string) {
  const ws = new WebSocket(s.wsUrl);
  sockets.push(ws);
  const frames: Frame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Frame));
  ws.on('error', () => {});
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'auth', v: 1, token }));
  await waitFor(() => frames.find((f) => f.type === 'welcome'));
  return {
    ws, frames,
    next: (type: string, pred: (f: Frame) => boolean = () => true) => waitFor(() => frames.find((f) => f.type === type && pred(f))),
    count: (type: string, pred: (f: Frame) => boolean = () => true) => frames.filter((f) => f.type === type && pred(f)).length,
  };
}

export async function waitFor<T>(fn: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const api = (s: Endpoint, token: string, method: string, path: string, body?: unknown) =>
  fetch(`${s.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });

export const REQ = { caseId: 7, installId: 'inst-1', customerName: 'Grace Hopper', amountMinor: 600_00, currency: 'USD', reason: 'outage week' };
