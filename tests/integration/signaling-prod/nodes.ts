/**
 * Signaling nodes as real processes (`tsx signaling-server/cli.ts`), so a
 * test can SIGKILL one mid-call like a crashed machine, or SIGTERM it to
 * drain; and ws clients that speak the protocol.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { WebSocket } from 'ws';
import type { ContextPacket, ServerMessage } from '../../../signaling-server/protocol';

const TSX = 'node_modules/.bin/tsx';
export const SECRET = 'prod-test-secret-0123456789abcdef-xyz';

export interface Node { url: string; wsUrl: string; port: number; proc: ChildProcess; log: string[]; kill(sig?: NodeJS.Signals): Promise<number | null> }

export async function startNode(args: string[], env: Record<string, string> = {}): Promise<Node> {
  const proc = spawn(TSX, ['signaling-server/cli.ts', '--port', '0', '--log-level', 'debug', ...args], {
    env: { ...process.env, SIGNALING_SECRET: SECRET, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group: tsx runs the server in a child process, and a crash must take both
    detached: true,
  });
  const log: string[] = [];
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => { err += String(d); });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += String(d);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('Signaling: ')) resolve(line.slice('Signaling: '.length));
        else log.push(line);
      }
    });
    proc.once('exit', (code) => reject(new Error(`node exited ${code}: ${err}`)));
    setTimeout(() => reject(new Error(`node did not start in 90 s: ${err}`)), 90_000);
  });
  return {
    url, wsUrl: `${url.replace(/^http/, 'ws')}/ws`, port: Number(new URL(url).port), proc, log,
    async kill(sig: NodeJS.Signals = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) {
        // SIGKILL: the whole group, like a machine dying; SIGTERM: tsx forwards it to the server
        try { if (sig === 'SIGKILL') process.kill(-proc.pid!, sig); else proc.kill(sig); } catch { /* gone */ }
      }
      return exited;
    },
  };
}

export const CONTEXT: ContextPacket = {
  browser: 'Chrome 140', os: 'Android 15', deviceClass: 'phone',
  screen: { width: 412, height: 915, dpr: 2.6 }, locale: 'en-US', timeZone: 'UTC',
};

type Msg = ServerMessage;

/** A protocol client that keeps everything it receives and lets a test await the next frame of a type. */
export class Peer {
  readonly ws: WebSocket;
  readonly all: Msg[] = [];
  private backlog: Msg[] = [];
  private waiters: Array<{ pred: (m: Msg) => boolean, resolve: (m: Msg) => void }> = [];
  readonly closed: Promise<{ code: number, reason: string }>;
  readonly opened: Promise<void>;
  constructor(url: string, opts: { headers?: Record<string, string>, ca?: Buffer } = {}) {
    this.ws = new WebSocket(url, { ...(opts.headers ? { headers: opts.headers } : {}), ...(opts.ca ? { ca: opts.ca } : {}) });
    this.ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as Msg;
      this.all.push(m);
      const i = this.waiters.findIndex((w) => w.pred(m));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m); else this.backlog.push(m);
    });
    this.ws.on('error', () => {});
    this.opened = new Promise((resolve, reject) => { this.ws.once('open', () => resolve()); this.ws.once('error', reject); });
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }
  static async open(url: string, opts: { headers?: Record<string, string>, ca?: Buffer } = {}): Promise<Peer> {
    const p = new Peer(url, opts);
    await p.opened;
    return p;
  }
  send(m: unknown): void { this.ws.send(typeof m === 'string' ? m : JSON.stringify(m)); }
  next<T extends Msg['type']>(type: T, pred: (m: Extract<Msg, { type: T }>) => boolean = () => true, timeoutMs = 8000): Promise<Extract<Msg, { type: T }>> {
    const match = (m: Msg) => m.type === type && pred(m as Extract<Msg, { type: T }>);
    const i = this.backlog.findIndex(match);
    if (i >= 0) return Promise.resolve(this.backlog.splice(i, 1)[0] as Extract<Msg, { type: T }>);
    return new Promise((resolve, reject) => {
      const w = { pred: match, resolve: resolve as (m: Msg) => void };
      this.waiters.push(w);
      setTimeout(() => {
        const k = this.waiters.indexOf(w);
        if (k >= 0) { this.waiters.splice(k, 1); reject(new Error(`timed out waiting for ${type}; got ${JSON.stringify(this.all.map((m) => m.type))}`)); }
      }, timeoutMs);
    });
  }
  /** The next frame of any of these types. */
  nextOf(types: Array<Msg['type']>, timeoutMs = 8000): Promise<Msg> {
    const match = (m: Msg) => types.includes(m.type);
    const i = this.backlog.findIndex(match);
    if (i >= 0) return Promise.resolve(this.backlog.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const w = { pred: match, resolve };
      this.waiters.push(w);
      setTimeout(() => {
        const k = this.waiters.indexOf(w);
        if (k >= 0) { this.waiters.splice(k, 1); reject(new Error(`timed out waiting for ${types.join('|')}; got ${JSON.stringify(this.all.map((m) => m.type))}`)); }
      }, timeoutMs);
    });
  }
  close(): void { this.ws.close(); }
}

export async function agentOn(wsUrl: string, token: string): Promise<{ p: Peer, welcome: Extract<Msg, { type: 'welcome' }> }> {
  const p = await Peer.open(wsUrl);
  p.send({ type: 'auth', v: 1, token });
  return { p, welcome: await p.next('welcome') };
}

export async function inviteFrom(p: Peer, extra: Record<string, unknown> = {}): Promise<Extract<Msg, { type: 'invite_created' }> & { token: string }> {
  const reqId = `i${Math.random().toString(36).slice(2, 10)}`;
  p.send({ type: 'create_invite', reqId, ...extra });
  const m = await p.next('invite_created', (x) => x.reqId === reqId);
  return { ...m, token: new URL(m.url).pathname.split('/').pop()! };
}

export async function customerOn(wsUrl: string, token: string): Promise<{ p: Peer, welcome: Extract<Msg, { type: 'welcome' }> }> {
  const p = await Peer.open(wsUrl);
  p.send({ type: 'join', v: 1, invite: token, context: CONTEXT });
  return { p, welcome: await p.next('welcome') };
}
