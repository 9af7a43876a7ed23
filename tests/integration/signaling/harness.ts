import { afterEach } from 'vitest';
/**
 * Test harness: a real signaling server on 127.0.0.1:0 and real `ws`
 * clients that queue what they receive so tests can await the next frame
 * of a given type (or assert that none arrived).
 */
import { WebSocket, type ClientOptions } from 'ws';
import { startSignalingServer, type SignalingOptions, type SignalingServer } from '../../../signaling-server/server';
import type { ContextPacket, ServerMessage } from '../../../signaling-server/protocol';

export const SECRET = 'test-secret-0123456789abcdef';

export interface Clock { now: () => number, advance: (ms: number) => void }

export function fakeClock(start = 1_800_000_000_000): Clock {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

export async function startServer(opts: Partial<SignalingOptions> = {}): Promise<{ server: SignalingServer, logs: Record<string, unknown>[] }> {
  const logs: Record<string, unknown>[] = [];
  const server = await startSignalingServer({ secret: SECRET, port: 0, heartbeatMs: 60_000, log: (r) => logs.push(r), ...opts });
  return { server, logs };
}

export const CONTEXT: ContextPacket = {
  browser: 'Chrome 140', os: 'Android 15', deviceClass: 'phone',
  screen: { width: 412, height: 915, dpr: 2.6 }, locale: 'en-US', timeZone: 'America/New_York',
};

type Msg = ServerMessage;

export class Client {
  readonly ws: WebSocket;
  readonly received: Msg[] = [];
  private waiters: { pred: (m: Msg) => boolean, resolve: (m: Msg) => void }[] = [];
  closed: Promise<{ code: number, reason: string }>;

  constructor(url: string, opts: ClientOptions = {}) {
    this.ws = new WebSocket(url, opts);
    this.ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as Msg;
      const i = this.waiters.findIndex((w) => w.pred(m));
      if (i >= 0) {
        const [w] = this.waiters.splice(i, 1);
        w!.resolve(m);
      } else {
        this.received.push(m);
      }
    });
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static async open(server: SignalingServer, opts: ClientOptions = {}): Promise<Client> {
    const c = new Client(`ws://127.0.0.1:${server.port}/ws`, opts);
    await new Promise<void>((resolve, reject) => {
      c.ws.once('open', () => resolve());
      c.ws.once('error', reject);
    });
    return c;
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** Next frame matching `type` (and `pred`), from the backlog or the wire. */
  next<T extends Msg['type']>(type: T, pred: (m: Extract<Msg, { type: T }>) => boolean = () => true, timeoutMs = 3000): Promise<Extract<Msg, { type: T }>> {
    const match = (m: Msg) => m.type === type && pred(m as Extract<Msg, { type: T }>);
    const i = this.received.findIndex(match);
    if (i >= 0) return Promise.resolve(this.received.splice(i, 1)[0] as Extract<Msg, { type: T }>);
    return new Promise((resolve, reject) => {
      const w = { pred: match, resolve: resolve as (m: Msg) => void };
      this.waiters.push(w);
      setTimeout(() => {
        const k = this.waiters.indexOf(w);
        if (k >= 0) {
          this.waiters.splice(k, 1);
          reject(new Error(`timed out waiting for ${type}; backlog: ${JSON.stringify(this.received.map((m) => m.type))}`));
        }
      }, timeoutMs);
    });
  }

  /** Round-trip a ping so every frame the server sent before it has arrived. */
  async sync(): Promise<void> {
    const reqId = `sync-${Math.random().toString(36).slice(2)}`;
    this.send({ type: 'ping', reqId });
    await this.next('pong', (m) => m.reqId === reqId);
  }

  close(): void {
    this.ws.close();
  }
}

export async function agent(server: SignalingServer, agentId = 'agent-1'): Promise<{ c: Client, welcome: Extract<Msg, { type: 'welcome' }> }> {
  const c = await Client.open(server);
  c.send({ type: 'auth', v: 1, token: server.mintAgentToken(agentId) });
  const welcome = await c.next('welcome');
  return { c, welcome };
}

export function tokenOf(url: string): string {
  return new URL(url).pathname.split('/').pop()!;
}

export async function invite(a: Client, extra: Record<string, unknown> = {}): Promise<{ url: string, token: string, roomId: string, expiresAt: number }> {
  const reqId = `inv-${Math.random().toString(36).slice(2)}`;
  a.send({ type: 'create_invite', reqId, ...extra });
  const m = await a.next('invite_created', (x) => x.reqId === reqId);
  return { url: m.url, token: tokenOf(m.url), roomId: m.roomId, expiresAt: m.expiresAt };
}

export async function customer(server: SignalingServer, token: string, context: ContextPacket = CONTEXT): Promise<{ c: Client, welcome: Extract<Msg, { type: 'welcome' }> }> {
  const c = await Client.open(server);
  c.send({ type: 'join', v: 1, invite: token, context });
  const welcome = await c.next('welcome');
  return { c, welcome };
}

/** A connected agent + customer pair in one room. */
export async function pair(server: SignalingServer, agentId = 'agent-1') {
  const a = await agent(server, agentId);
  const inv = await invite(a.c);
  const cu = await customer(server, inv.token);
  const joined = await a.c.next('peer_joined');
  return { agent: a.c, agentWelcome: a.welcome, customer: cu.c, customerWelcome: cu.welcome, inv, joined };
}

/** One test file's server and clients, closed after each test (registers its own afterEach). */
export function useServer(): { clients: Client[], start(opts?: Partial<SignalingOptions>): Promise<SignalingServer> } {
  const clients: Client[] = [];
  let server: SignalingServer | undefined;
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
    server = undefined;
  });
  return { clients, async start(opts = {}) { ({ server } = await startServer(opts)); return server; } };
}
