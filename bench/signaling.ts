/**
 * npm run bench -- signaling
 *
 * Our signaling server against PeerJS's server (npm `peer`) on the same
 * workload, in the same run. Three processes per target, all on loopback:
 *   - the server (ours or PeerServer) in its own child process, so its RSS
 *     is the server's alone;
 *   - the load generator in another child process (ws clients);
 *   - this orchestrator, which drives both over IPC and reports.
 *
 * Workloads (bounded in count and time):
 *   idle    — N sockets held open at once (N/2 agent/customer pairs that
 *             completed a handshake, then idle) on a freshly started server,
 *             opened in two halves; memory read after GC once the sockets are
 *             quiet (--idle-settle): RSS per socket over all N (sockets per GiB
 *             extrapolated from it), and the second half's RSS and JS heap per
 *             socket (marginal cost). RSS leaves out V8's young generation,
 *             which grows to 32 MiB under any burst of allocation and stays,
 *             whatever the process holds.
 *   pairing — invite -> customer joins -> offer -> answer, `concurrency` at a
 *             time, for `count` pairings or `maxMs`; pairings per second.
 *   parts   — server CPU per part of a pairing, each on its own: a bare
 *             connection opened and closed (PeerJS: with its OPEN frame), one
 *             frame relayed, an invite and its room opened and closed (ours).
 *   latency — P pairs relaying small signal frames at a fixed total rate;
 *             one-way relay latency p50/p99 measured by the receiving client.
 *
 * Flags: --sockets=N (default 10000) --pairings=N per round (3000) --concurrency=N (64)
 *        --latency-pairs=N (500) --latency-rate=N msgs/s total (5000)
 *        --idle-settle=SEC (16): wait after opening idle sockets before reading memory
 * Investigation (a partial run prints but does not write bench/results):
 *        --only=ours|peerjs   --phases=idle,pairing,latency
 *        --cpu-prof=DIR       server processes run with `node --cpu-prof --cpu-prof-dir=DIR`
 *        --heap-snapshot=DIR  each server writes a heap snapshot while it holds the idle sockets
 *        --compare=DIR        a third target, "before": our server from another checkout's
 *                             signaling-server/ (e.g. `git worktree add /tmp/before HEAD~3`), same
 *                             load, rounds interleaved, to A/B a change on a busy machine
 *        --rounds=N           rounds of the pairing, parts and latency phases (3)
 *        --parts=connect,relay,invite   which parts of a pairing the parts phase measures
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { median, p99, quantile, report, round } from './lib';

const SELF = fileURLToPath(import.meta.url);
const SECRET = 'bench-secret-0123456789abcdef-0123456789';

function flag(name: string, def: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  const v = a ? Number(a.split('=')[1]) : def;
  return Number.isFinite(v) && v > 0 ? v : def;
}
function strFlag(name: string): string | undefined {
  return process.argv.find((x) => x.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
}
const roleArg = strFlag('role');

// ======================================================================= IPC

type Handler = (args: any) => Promise<unknown>;
function serveIpc(handlers: Record<string, Handler>): void {
  process.on('message', async (m: { id: number, cmd: string, args: unknown }) => {
    try {
      const h = handlers[m.cmd];
      if (!h) throw new Error(`unknown command ${m.cmd}`);
      process.send!({ id: m.id, ok: true, result: await h(m.args) });
    } catch (e) {
      process.send!({ id: m.id, ok: false, error: (e as Error).stack ?? String(e) });
    }
  });
}

class Child {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: any) => void, reject: (e: Error) => void }>();
  private ready: Promise<any>;
  constructor(readonly name: string, readonly proc: ChildProcess) {
    let onReady!: (v: unknown) => void;
    this.ready = new Promise((r) => { onReady = r; });
    proc.on('message', (m: any) => {
      if (m && m.ready) return onReady(m);
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result); else p.reject(new Error(`${name}: ${m.error}`));
    });
    proc.on('exit', (code) => { for (const p of this.pending.values()) p.reject(new Error(`${name} exited (${code})`)); this.pending.clear(); });
  }
  static start(name: string, role: string, extra: string[] = [], nodeArgs: string[] = []): Child {
    // Raise the soft fd limit to the hard one: 10,000 sockets need 10,000 descriptors per side.
    const cmd = `ulimit -n $(ulimit -Hn) 2>/dev/null; exec "${process.execPath}" --expose-gc ${nodeArgs.join(' ')} --import tsx "${SELF}" --role=${role} ${extra.join(' ')}`;
    const proc = spawn('sh', ['-c', cmd], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Child(name, proc);
  }
  whenReady(): Promise<any> { return this.ready; }
  call<T = any>(cmd: string, args: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.send({ id, cmd, args });
    });
  }
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
}

// ======================================================================= server roles

async function serverMemory(): Promise<{ rss: number, heap: number, young: number, fds: number }> {
  const g = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) { g?.(); await new Promise((r) => setTimeout(r, 50)); }
  const m = process.memoryUsage();
  // V8's young generation keeps what it grew to under the last burst of allocation (up to tens of MiB),
  // whatever the process holds: reported, so the per-socket RSS can leave it out
  const young = (await import('node:v8')).getHeapSpaceStatistics().filter((sp) => sp.space_name === 'new_space' || sp.space_name === 'new_large_object_space').reduce((n, sp) => n + sp.space_size, 0);
  let fds = -1;
  try { fds = (await import('node:fs')).readdirSync('/proc/self/fd').length; } catch { /* not linux */ }
  return { rss: m.rss, heap: m.heapUsed, young, fds };
}

/** CPU time so far, and how much of the main thread's time went to garbage collection. */
let gcMs = 0;
async function cpuNow(): Promise<NodeJS.CpuUsage & { gcMs: number }> {
  if (gcMs === 0) {
    const { PerformanceObserver } = await import('node:perf_hooks');
    new PerformanceObserver((list) => { for (const e of list.getEntries()) gcMs += e.duration; }).observe({ entryTypes: ['gc'] });
    gcMs = 1e-9; // observing from now on
  }
  return { ...process.cpuUsage(), gcMs };
}

async function heapSnapshot({ dir, tag }: { dir: string, tag: string }): Promise<string> {
  const { writeHeapSnapshot } = await import('node:v8');
  (globalThis as { gc?: () => void }).gc?.();
  return writeHeapSnapshot(`${dir}/${tag}-${process.pid}.heapsnapshot`);
}

async function runOurServer(): Promise<void> {
  const dir = strFlag('server-dir');
  const mod: typeof import('../signaling-server/server') = dir
    ? await import(pathToFileURL(`${dir}/server.ts`).href)
    : await import('../signaling-server/server');
  const { startSignalingServer } = mod;
  const server = await startSignalingServer({
    secret: SECRET, port: 0, host: '127.0.0.1',
    // logs are discarded, and at 'warn' the routine per-socket records are not even built (a node run
    // with SIGNALING_LOG_LEVEL=warn); PeerJS's server logs nothing per connection by default either
    log: () => {}, logLevel: 'warn',
    // every bench socket comes from 127.0.0.1: the per-address limits (which would rightly stop this) are opened;
    // everything else (message rate buckets, heartbeats, idle checks, metrics) runs as in production
    abuse: { connectionsPerMinPerAddress: 10_000_000, connectionBurstPerAddress: 1_000_000 },
  });
  serveIpc({ memory: () => serverMemory(), cpu: async () => cpuNow(), heapSnapshot });
  process.send!({ ready: true, port: server.port, ws: `ws://127.0.0.1:${server.port}/ws` });
  // process.exit (not a natural end) after close, so --cpu-prof still writes its profile
  process.on('SIGTERM', () => { void server.close().finally(() => process.exit(0)); });
}

async function runPeerServer(): Promise<void> {
  const { PeerServer } = await import('peer');
  const port = await new Promise<number>((resolve) => {
    // concurrent_limit raised from its default 5000 so the idle test can reach N; everything else default.
    PeerServer({ port: 0, host: '127.0.0.1', path: '/', concurrent_limit: 1_000_000 }, (srv) => resolve((srv.address() as { port: number }).port));
  });
  serveIpc({ memory: () => serverMemory(), cpu: async () => cpuNow(), heapSnapshot });
  process.send!({ ready: true, port, ws: `ws://127.0.0.1:${port}/peerjs` });
  process.on('SIGTERM', () => process.exit(0));
}

// ======================================================================= load generator

const CONTEXT = { browser: 'Bench', os: 'Linux', deviceClass: 'desktop', screen: { width: 1280, height: 720, dpr: 1 }, locale: 'en-US', timeZone: 'UTC' };
const OFFER_SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' + 'a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\n'.repeat(8);

/** A ws client with a typed inbox: wait for the next frame that matches. */
class Sock {
  readonly ws: WebSocket;
  private waiters: Array<{ pred: (m: any) => boolean, resolve: (m: any) => void, reject: (e: Error) => void, timer: NodeJS.Timeout }> = [];
  private inbox: any[] = [];
  onAny?: (m: any) => void;
  constructor(url: string) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('message', (d) => {
      const m = JSON.parse(String(d));
      if (this.onAny) { this.onAny(m); return; }
      const i = this.waiters.findIndex((w) => w.pred(m));
      if (i >= 0) { const [w] = this.waiters.splice(i, 1); clearTimeout(w!.timer); w!.resolve(m); } else if (this.inbox.length < 100) this.inbox.push(m);
    });
    this.ws.on('error', () => {});
    this.ws.on('close', () => { for (const w of this.waiters.splice(0)) { clearTimeout(w.timer); w.reject(new Error('closed')); } });
  }
  open(): Promise<void> {
    return new Promise((resolve, reject) => { this.ws.once('open', () => resolve()); this.ws.once('error', reject); this.ws.once('close', () => reject(new Error('closed before open'))); });
  }
  next(pred: (m: any) => boolean, timeoutMs = 15_000): Promise<any> {
    const i = this.inbox.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { const k = this.waiters.findIndex((w) => w.resolve === resolve); if (k >= 0) this.waiters.splice(k, 1); reject(new Error('timeout')); }, timeoutMs);
      this.waiters.push({ pred, resolve, reject, timer });
    });
  }
  send(m: unknown): void { this.ws.send(JSON.stringify(m)); }
  close(): void { try { this.ws.terminate(); } catch { /* gone */ } }
}

/** One call's signaling on either server: returns the two connected, paired sockets. */
interface Flavor {
  agent(i: number): Promise<Sock & { id: string }>;
  /** invite -> join -> offer -> answer; resolves once the agent holds the answer. */
  pair(agent: Sock & { id: string }, i: number): Promise<{ customer: Sock & { id: string }, customerId: string }>;
  /** end the call so the agent can take the next one */
  unpair(agent: Sock & { id: string }, customer: Sock & { id: string }): Promise<void>;
  relay(from: Sock, toId: string, t: number): void;
  isRelay(m: any): number | undefined;
  /** parts: a socket that connects (PeerJS: and is told OPEN), for the cost of a bare connection */
  bare(i: number): Promise<Sock>;
  /** parts (ours only): create_invite -> invite_created, hangup -> ended: an invite and a room opened and closed */
  inviteCycle?(agent: Sock & { id: string }, i: number): Promise<void>;
}

async function ourFlavor(wsUrl: string): Promise<Flavor> {
  const { mintAgentToken } = await import('../signaling-server/auth');
  const cust = () => Object.assign(new Sock(wsUrl), { id: '' });
  return {
    async agent(i) {
      const s = Object.assign(new Sock(wsUrl), { id: '' });
      await s.open();
      s.send({ type: 'auth', v: 1, token: mintAgentToken(SECRET, `bench-agent-${process.pid}-${i}`, { ttlSec: 3600 }) });
      const w = await s.next((m) => m.type === 'welcome' || m.type === 'error');
      if (w.type !== 'welcome') throw new Error(`auth: ${w.code} ${w.message}`);
      s.id = w.memberId;
      return s;
    },
    async pair(agent, i) {
      agent.send({ type: 'create_invite', reqId: `r${i}` });
      const inv = await agent.next((m) => (m.type === 'invite_created' && m.reqId === `r${i}`) || m.type === 'error');
      if (inv.type !== 'invite_created') throw new Error(`create_invite: ${inv.code} ${inv.message}`);
      const token = String(inv.url).split('/join/')[1]!.split('?')[0]!;
      agent.id = (await Promise.resolve(agent.id));
      const c = cust();
      await c.open();
      c.send({ type: 'join', v: 1, invite: token, context: CONTEXT });
      const joinedP = agent.next((m) => m.type === 'peer_joined');
      const w = await c.next((m) => m.type === 'welcome' || m.type === 'error');
      if (w.type !== 'welcome') throw new Error(`join: ${w.code} ${w.message}`);
      c.id = w.memberId;
      const joined = await joinedP;
      const agentSeat = (w.members as Array<{ memberId: string, role: string }>).find((m) => m.role === 'agent')?.memberId ?? agent.id;
      agent.id = agentSeat;
      agent.send({ type: 'signal', to: joined.member.memberId, data: { type: 'offer', sdp: OFFER_SDP } });
      await c.next((m) => m.type === 'signal' && m.data.type === 'offer');
      c.send({ type: 'signal', to: agentSeat, data: { type: 'answer', sdp: OFFER_SDP } });
      await agent.next((m) => m.type === 'signal' && m.data.type === 'answer');
      return { customer: c, customerId: c.id };
    },
    async unpair(agent, customer) {
      agent.send({ type: 'hangup' });
      await agent.next((m) => m.type === 'ended');
      customer.close();
    },
    relay(from, toId, t) { from.send({ type: 'signal', to: toId, data: { type: 'candidate', candidate: { candidate: `candidate:1 1 udp 1 127.0.0.1 ${t} typ host`, sdpMid: '0', sdpMLineIndex: 0 } } }); },
    isRelay(m) { return m.type === 'signal' && m.data?.type === 'candidate' ? Number(String(m.data.candidate.candidate).split(' ')[5]) : undefined; },
    async bare() { const s = new Sock(wsUrl); await s.open(); return s; },
    async inviteCycle(agent, i) {
      agent.send({ type: 'create_invite', reqId: `c${i}` });
      const inv = await agent.next((m) => (m.type === 'invite_created' && m.reqId === `c${i}`) || m.type === 'error');
      if (inv.type !== 'invite_created') throw new Error(`create_invite: ${inv.code} ${inv.message}`);
      agent.send({ type: 'hangup' });
      await agent.next((m) => m.type === 'ended');
    },
  };
}

async function peerFlavor(wsUrl: string): Promise<Flavor> {
  const live = new Set<Sock>();
  // The PeerJS client sends HEARTBEAT every 5 s and the server drops a client silent for alive_timeout (60 s):
  // that is the idle cost of its protocol, so the bench pays it too (ours: server-side ws pings every 15 s).
  setInterval(() => { for (const s of live) { if (s.ws.readyState === s.ws.OPEN) s.send({ type: 'HEARTBEAT' }); else live.delete(s); } }, 5000).unref();
  const peer = async (id: string) => {
    const s = Object.assign(new Sock(`${wsUrl}?key=peerjs&id=${id}&token=t${id}`), { id });
    live.add(s);
    await s.open();
    const o = await s.next((m) => m.type === 'OPEN' || m.type === 'ERROR' || m.type === 'ID-TAKEN');
    if (o.type !== 'OPEN') throw new Error(`peerjs open: ${JSON.stringify(o)}`);
    return s;
  };
  return {
    agent: (i) => peer(`agent${process.pid}x${i}`),
    async pair(agent, i) {
      // PeerJS has no invites: the "link" is the agent's id; the customer connects and offers to it.
      const c = await peer(`cust${process.pid}x${i}x${Math.random().toString(36).slice(2, 8)}`);
      c.send({ type: 'OFFER', dst: agent.id, payload: { sdp: { type: 'offer', sdp: OFFER_SDP }, type: 'media', connectionId: `mc_${i}` } });
      const offer = await agent.next((m) => m.type === 'OFFER' && m.src === c.id);
      agent.send({ type: 'ANSWER', dst: offer.src, payload: { sdp: { type: 'answer', sdp: OFFER_SDP }, type: 'media', connectionId: `mc_${i}` } });
      await c.next((m) => m.type === 'ANSWER');
      return { customer: c, customerId: c.id };
    },
    async unpair(_agent, customer) { customer.close(); },
    relay(from, toId, t) { from.send({ type: 'CANDIDATE', dst: toId, payload: { candidate: { candidate: `candidate:1 1 udp 1 127.0.0.1 ${t} typ host`, sdpMid: '0', sdpMLineIndex: 0 }, type: 'media', connectionId: 'mc' } }); },
    isRelay(m) { return m.type === 'CANDIDATE' ? Number(String(m.payload.candidate.candidate).split(' ')[5]) : undefined; },
    bare: (i) => peer(`bare${process.pid}x${i}`),
  };
}

async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<{ ok: T[], failed: number, firstError?: string }> {
  const ok: T[] = [];
  let failed = 0, next = 0, firstError: string | undefined;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) {
      const i = next++;
      try { ok.push(await fn(i)); } catch (e) { failed++; firstError ??= (e as Error).message; }
    }
  }));
  return firstError === undefined ? { ok, failed } : { ok, failed, firstError };
}

async function runLoad(): Promise<void> {
  const kind = process.argv.find((x) => x.startsWith('--kind='))!.split('=')[1]!;
  const url = process.argv.find((x) => x.startsWith('--url='))!.split('=').slice(1).join('=');
  const flavor = kind === 'peerjs' ? await peerFlavor(url) : await ourFlavor(url);
  let held: Sock[] = [];
  let seq = 0;
  let partPairs: Array<{ a: Sock & { id: string }, c: Sock & { id: string }, cid: string }> = [];
  let partAgents: Array<Sock & { id: string }> = [];

  serveIpc({
    /** Hold n sockets: n/2 agents, each paired with one customer, then idle. */
    async idle({ n }: { n: number }) {
      const t0 = performance.now();
      const pairs = Math.floor(n / 2);
      const r = await pool(pairs, 256, async () => {
        const i = seq++;
        const a = await flavor.agent(i);
        held.push(a);
        const { customer } = await flavor.pair(a, i);
        held.push(customer);
      });
      return { held: held.length, failed: r.failed, firstError: r.firstError, ms: performance.now() - t0 };
    },
    async release() {
      for (const s of held) s.close();
      held = [];
      await new Promise((r) => setTimeout(r, 500));
      return {};
    },
    // ---- parts of a pairing, each measured on its own (the orchestrator reads the server's CPU around `partRun`)
    async partSetup({ name, n }: { name: string, n: number }) {
      partPairs = [];
      partAgents = [];
      if (name === 'relay') {
        await pool(n, 32, async () => {
          const i = seq++;
          const a = await flavor.agent(i);
          const { customer, customerId } = await flavor.pair(a, i);
          partPairs.push({ a, c: customer, cid: customerId });
        });
      } else if (name === 'invite') {
        partAgents = (await pool(n, 32, async () => flavor.agent(seq++))).ok;
      }
      await new Promise((r) => setTimeout(r, 300));
      return {};
    },
    async partRun({ name, count, concurrency }: { name: string, count: number, concurrency: number }) {
      let done = 0;
      const t0 = performance.now();
      if (name === 'connect') {
        const r = await pool(count, concurrency, async () => { const s = await flavor.bare(seq++); s.close(); done++; });
        if (r.firstError) throw new Error(r.firstError);
      } else if (name === 'relay') {
        // each pair relays one frame at a time, agent -> customer, waiting for it to arrive
        const per = Math.ceil(count / partPairs.length);
        await Promise.all(partPairs.map(async (p) => {
          for (let k = 0; k < per; k++) {
            const got = p.c.next((m) => flavor.isRelay(m) !== undefined);
            flavor.relay(p.a, p.cid, k);
            await got;
            done++;
          }
        }));
      } else if (name === 'invite') {
        if (!flavor.inviteCycle) return { done: 0, ms: 0 };
        const per = Math.ceil(count / partAgents.length);
        await Promise.all(partAgents.map(async (a) => { for (let k = 0; k < per; k++) { await flavor.inviteCycle!(a, seq++); done++; } }));
      }
      const ms = performance.now() - t0;
      // let the server finish closing what this part closed before its CPU is read
      await new Promise((r) => setTimeout(r, 300));
      return { done, ms };
    },
    async partTeardown() {
      for (const p of partPairs) { p.a.close(); p.c.close(); }
      for (const a of partAgents) a.close();
      partPairs = [];
      partAgents = [];
      await new Promise((r) => setTimeout(r, 300));
      return {};
    },
    async pairing({ count, concurrency, maxMs }: { count: number, concurrency: number, maxMs: number }) {
      const agents = (await pool(concurrency, 64, async () => flavor.agent(seq++))).ok;
      const deadline = performance.now() + maxMs;
      const cpuStart = process.cpuUsage();
      const t0 = performance.now();
      const times: number[] = [];
      let done = 0, failed = 0, firstError: string | undefined, issued = 0;
      await Promise.all(agents.map(async (agent) => {
        while (issued < count && performance.now() < deadline) {
          issued++;
          const s = performance.now();
          try {
            const { customer } = await flavor.pair(agent, seq++);
            times.push(performance.now() - s);
            done++;
            await flavor.unpair(agent, customer);
          } catch (e) { failed++; firstError ??= (e as Error).message; }
        }
      }));
      const elapsed = performance.now() - t0;
      const cpu = process.cpuUsage(cpuStart);
      for (const a of agents) a.close();
      return { loadCpuMs: (cpu.user + cpu.system) / 1000, done, failed, firstError, elapsedMs: elapsed, perSec: done / (elapsed / 1000), handshakeP50: median(times), handshakeP99: p99(times) };
    },
    async latency({ pairs, rate, durationMs }: { pairs: number, rate: number, durationMs: number }) {
      const set: Array<{ a: Sock & { id: string }, c: Sock & { id: string }, cid: string }> = [];
      const r = await pool(pairs, 128, async () => {
        const i = seq++;
        const a = await flavor.agent(i);
        const { customer, customerId } = await flavor.pair(a, i);
        set.push({ a, c: customer, cid: customerId });
      });
      const samples: number[] = [];
      let sent = 0;
      const base = Math.floor(performance.now());
      for (const p of set) {
        p.c.onAny = (m) => { const t = flavor.isRelay(m); if (t !== undefined) samples.push(performance.now() - base - t / 1000); };
      }
      // a fixed total rate, spread across pairs in 10 ms ticks
      const perTick = Math.max(1, Math.round(rate / 100));
      const end = performance.now() + durationMs;
      let k = 0;
      await new Promise<void>((resolve) => {
        const tick = setInterval(() => {
          if (performance.now() >= end) { clearInterval(tick); resolve(); return; }
          for (let j = 0; j < perTick; j++) {
            const p = set[k++ % set.length]!;
            // microseconds since base, as an integer the candidate line can carry
            flavor.relay(p.a, p.cid, Math.round((performance.now() - base) * 1000));
            sent++;
          }
        }, 10);
      });
      await new Promise((r) => setTimeout(r, 1000));
      for (const p of set) { p.a.close(); p.c.close(); }
      return { pairs: set.length, failedPairs: r.failed, firstError: r.firstError, sent, received: samples.length, p50: median(samples), p99: p99(samples), p999: quantile(samples, 0.999), actualRate: sent / (durationMs / 1000) };
    },
  });
  process.send!({ ready: true });
}

// ======================================================================= orchestrator

interface TargetResult {
  baseRss: number; rssAtN: number; held: number; idleFailed: number; perSocketBytes: number; socketsPerGiB: number; openMs: number;
  pairingPerSec: number; cpuPerPairingMs: number; pairingCapacityPerCore: number; serverBusy: number; pairingDone: number; pairingFailed: number; handshakeP50: number; handshakeP99: number;
  latP50: number; latP99: number; latSent: number; latReceived: number; latRate: number;
}

type Kind = 'ours' | 'peerjs' | 'before';
interface Target { kind: Kind; server: Child; load: Child }

async function startTarget(kind: Kind, cpuProfDir?: string, compareDir?: string): Promise<Target> {
  // one directory per target: node names each thread's profile itself (the tsx loader thread writes one too)
  const nodeArgs = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}/${kind}`] : [];
  const server = Child.start(`${kind}-server`, kind === 'peerjs' ? 'server-peerjs' : 'server-ours', kind === 'before' ? [`--server-dir=${compareDir}/signaling-server`] : [], nodeArgs);
  const info = await server.whenReady();
  const load = Child.start(`${kind}-load`, 'load', [`--kind=${kind}`, `--url=${info.ws}`]);
  await load.whenReady();
  return { kind, server, load };
}

/** [part, ops, sockets set up first] */
const PARTS: Array<[string, number, number]> = [['connect', 2000, 0], ['relay', 4000, 64], ['invite', 2000, 64]]
  .filter(([name]) => !strFlag('parts') || strFlag('parts')!.split(',').includes(name as string)) as Array<[string, number, number]>;

/** Server CPU (ms) per operation of one part of a pairing; NaN if the target has no such part. */
async function partRun(t: Target, name: string, count: number, setupN: number): Promise<number> {
  await t.load.call('partSetup', { name, n: setupN });
  const c0 = await t.server.call('cpu');
  const r = await t.load.call('partRun', { name, count, concurrency: 64 });
  const c1 = await t.server.call('cpu');
  await t.load.call('partTeardown');
  return r.done ? (c1.user - c0.user + c1.system - c0.system) / 1000 / r.done : NaN;
}

async function pairingRun(t: Target, count: number, concurrency: number) {
  const cpu0 = await t.server.call('cpu');
  const pr = await t.load.call('pairing', { count, concurrency, maxMs: 60_000 });
  const cpu1 = await t.server.call('cpu');
  const cpuMs = (cpu1.user - cpu0.user + cpu1.system - cpu0.system) / 1000;
  const r = { ...pr, cpuPerPairing: cpuMs / Math.max(1, pr.done), gcPerPairing: (cpu1.gcMs - cpu0.gcMs) / Math.max(1, pr.done), busy: cpuMs / pr.elapsedMs };
  console.log(`[${t.kind}] ${pr.done} pairings in ${(pr.elapsedMs / 1000).toFixed(2)} s = ${pr.perSec.toFixed(0)}/s (${pr.failed} failed${pr.firstError ? `: ${pr.firstError}` : ''}); server ${r.cpuPerPairing.toFixed(3)} ms cpu/pairing (gc ${r.gcPerPairing.toFixed(3)}), ${(r.busy * 100).toFixed(0)}% busy; load gen ${(pr.loadCpuMs / pr.elapsedMs * 100).toFixed(0)}%`);
  return r;
}

/**
 * Both servers run side by side and the phases alternate (ours, PeerJS, ours, PeerJS), so a
 * busy moment on a shared machine hurts both alike; each figure is the best of `rounds` (3).
 * Pairing and latency run while each server holds its N idle sockets, as a busy node would.
 */
async function main(): Promise<void> {
  const opts = {
    sockets: flag('sockets', 10_000), pairings: flag('pairings', 3000), concurrency: flag('concurrency', 64),
    latencyPairs: flag('latency-pairs', 500), latencyRate: flag('latency-rate', 5000),
    idleSettleSec: flag('idle-settle', 16),
  };
  const only = strFlag('only');
  const ALL_PHASES = ['idle', 'pairing', 'parts', 'latency'];
  const phases = new Set((strFlag('phases') ?? ALL_PHASES.join(',')).split(','));
  const cpuProf = strFlag('cpu-prof');
  const heapDir = strFlag('heap-snapshot');
  const compare = strFlag('compare');
  const rounds = flag('rounds', 3);
  const partial = only !== undefined || ALL_PHASES.some((p) => !phases.has(p)) || compare !== undefined;
  console.log(`signaling bench: ${JSON.stringify(opts)} on ${cpus().length} cores, node ${process.version}${partial ? ` (partial: ${only ?? 'both'}, ${[...phases].join('+')}; no results file)` : ''}`);
  const kinds = (['ours', 'peerjs'] as const).filter((k) => only === undefined || only === k);
  const targets: Target[] = [];
  if (compare) targets.push(await startTarget('before', cpuProf, compare));
  for (const k of kinds) targets.push(await startTarget(k, cpuProf));
  const res: Record<string, any> = { ours: {}, peerjs: {}, before: {} };
  try {
    if (phases.has('idle')) for (const t of targets) {
      // Freshly started servers (the warm-up comes after): the growth from an idle, just-started node to N
      // sockets, over N, is what a node pays per socket; each server starts from the same state, where
      // after a warm-up the leftover heap pages hid part of the growth (RSS moves in steps of V8 pages).
      // Opened in two halves: the second half's growth is the marginal cost, free of one-time costs.
      await new Promise((r) => setTimeout(r, 300));
      const base = await t.server.call('memory');
      // Each reading waits until the sockets are idle in earnest: past one of our heartbeats (15 s: pings sent,
      // message-rate buckets of quiet sockets given back) and three PeerJS client HEARTBEATs (5 s).
      const settle = () => new Promise((r) => setTimeout(r, opts.idleSettleSec * 1000));
      const half = await t.load.call('idle', { n: Math.floor(opts.sockets / 2) });
      await settle();
      const atHalf = await t.server.call('memory');
      const idle = await t.load.call('idle', { n: opts.sockets - half.held });
      await settle();
      const atN = await t.server.call('memory');
      const added = Math.max(1, idle.held - half.held);
      const old = (m: { rss: number, young: number }) => m.rss - m.young;
      const per = (old(atN) - old(atHalf)) / added;
      const perHeap = (atN.heap - atHalf.heap) / added;
      const perTotal = (old(atN) - old(base)) / Math.max(1, idle.held);
      const failed = half.failed + idle.failed;
      const firstError = half.firstError ?? idle.firstError;
      const mib = (m: { rss: number, young: number }) => `${(m.rss / 2 ** 20).toFixed(1)} (young ${(m.young / 2 ** 20).toFixed(1)})`;
      console.log(`[${t.kind}] holding ${idle.held} sockets (${failed} failed${firstError ? `: ${firstError}` : ''}) opened in ${((half.ms + idle.ms) / 1000).toFixed(1)} s; rss ${mib(base)} -> ${mib(atHalf)} -> ${mib(atN)} MiB; per socket, young generation left out: rss ${(perTotal / 1024).toFixed(2)} KiB (all), ${(per / 1024).toFixed(2)} KiB (second half), js heap ${(perHeap / 1024).toFixed(2)} KiB (second half); fds ${atN.fds}`);
      // headline: RSS over all N (what a GiB holds, one-time costs included, as in earlier runs); the
      // second-half figures are the marginal cost, the JS heap one being the steadiest reading
      Object.assign(res[t.kind], { held: idle.held, idleFailed: failed, baseRss: base.rss, rssAtHalf: atHalf.rss, rssAtN: atN.rss, heapAtHalf: atHalf.heap, heapAtN: atN.heap, perSocketBytes: perTotal, perSocketMarginalBytes: per, perSocketHeapBytes: perHeap, socketsPerGiB: 2 ** 30 / perTotal, openMs: half.ms + idle.ms });
      if (heapDir) console.log(`[${t.kind}] heap snapshot: ${await t.server.call('heapSnapshot', { dir: heapDir, tag: `${t.kind}-idle` })}`);
    }
    for (const t of targets) await t.load.call('pairing', { count: 200, concurrency: 16, maxMs: 20_000 }); // warm-up
    const pairing: Record<string, any[]> = { ours: [], peerjs: [], before: [] };
    if (phases.has('pairing')) for (let round = 0; round < rounds; round++) for (const t of targets) pairing[t.kind]!.push(await pairingRun(t, opts.pairings, opts.concurrency));
    const parts: Record<string, Record<string, number[]>> = { ours: {}, peerjs: {}, before: {} };
    if (phases.has('parts')) {
      for (let round = 0; round < rounds; round++) for (const [name, count, setupN] of PARTS) for (const t of targets) {
        const ms = await partRun(t, name, count, setupN);
        if (Number.isFinite(ms)) (parts[t.kind]![name] ??= []).push(ms);
      }
      for (const t of targets) {
        const best = Object.fromEntries(Object.entries(parts[t.kind]!).map(([k, v]) => [k, Math.min(...v)]));
        console.log(`[${t.kind}] parts, server cpu ms per op (best of ${rounds}): ${Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`);
        Object.assign(res[t.kind], { parts: best });
      }
    }
    const latency: Record<string, any[]> = { ours: [], peerjs: [], before: [] };
    if (phases.has('latency')) for (let round = 0; round < rounds; round++) for (const t of targets) {
      const lat = await t.load.call('latency', { pairs: opts.latencyPairs, rate: opts.latencyRate, durationMs: 5000 });
      console.log(`[${t.kind}] relay p50 ${lat.p50.toFixed(3)} ms, p99 ${lat.p99.toFixed(3)} ms (${lat.received}/${lat.sent} at ${lat.actualRate.toFixed(0)}/s, ${lat.pairs} pairs)`);
      latency[t.kind]!.push(lat);
    }
    if (partial) {
      for (const t of targets) {
        const r = pairing[t.kind]!;
        if (r.length) console.log(`[${t.kind}] pairing over ${r.length} rounds: best ${Math.max(...r.map((x) => x.perSec)).toFixed(0)}/s; server cpu/pairing median ${median(r.map((x) => x.cpuPerPairing)).toFixed(3)} ms, min ${Math.min(...r.map((x) => x.cpuPerPairing)).toFixed(3)} ms`);
      }
      return;
    }
    for (const k of ['ours', 'peerjs']) {
      const best = pairing[k]!.reduce((a, b) => (b.perSec > a.perSec ? b : a));
      const bestLat = latency[k]!.reduce((a, b) => (b.p50 < a.p50 ? b : a));
      Object.assign(res[k], {
        pairingPerSec: best.perSec, pairingRounds: pairing[k]!.map((x) => round(x.perSec, 1)), pairingFailed: best.failed,
        cpuPerPairingMs: Math.min(...pairing[k]!.map((x) => x.cpuPerPairing)), cpuPerPairingRounds: pairing[k]!.map((x) => round(x.cpuPerPairing, 3)),
        gcPerPairingMs: Math.min(...pairing[k]!.map((x) => x.gcPerPairing)), handshakeP50: best.handshakeP50, handshakeP99: best.handshakeP99,
        latP50: bestLat.p50, latP99: bestLat.p99, latRounds: latency[k]!.map((x) => [round(x.p50, 2), round(x.p99, 2)]), latReceived: bestLat.received, latSent: bestLat.sent,
      });
    }
  } finally {
    for (const t of targets) { await t.load.stop(); await t.server.stop(); }
  }
  const o = res.ours, p = res.peerjs;
  const KiB = 1024;
  const row = (r: any) => ({
    idle_sockets_held: r.held,
    idle_rss_per_socket_kib: round(r.perSocketBytes / KiB, 2),
    idle_rss_per_socket_marginal_kib: round(r.perSocketMarginalBytes / KiB, 2),
    idle_heap_per_socket_kib: round(r.perSocketHeapBytes / KiB, 2),
    idle_sockets_per_gib: Math.round(r.socketsPerGiB),
    pairings_per_sec: round(r.pairingPerSec, 1),
    server_cpu_ms_per_pairing: round(r.cpuPerPairingMs, 3),
    pairings_per_sec_per_core: Math.round(1000 / r.cpuPerPairingMs),
    handshake_p50_ms: round(r.handshakeP50, 2),
    handshake_p99_ms: round(r.handshakeP99, 2),
    relay_p50_ms: round(r.latP50, 3),
    relay_p99_ms: round(r.latP99, 3),
    // parts of a pairing, server CPU each (ms): a bare connection (PeerJS: with its OPEN frame), one
    // relayed frame, an invite and its room opened and closed (ours only: PeerJS has no invites)
    part_connect_cpu_ms: round(r.parts?.connect ?? NaN, 3),
    part_relay_cpu_ms: round(r.parts?.relay ?? NaN, 3),
    part_invite_cpu_ms: r.parts?.invite === undefined ? 'n/a' : round(r.parts.invite, 3),
  });
  report({
    name: 'signaling',
    metrics: row(o),
    baseline: row(p),
    notes: {
      baseline: 'PeerJS server (npm peer 1.0.2), default options except concurrent_limit raised to hold N sockets; its clients send HEARTBEAT every 5 s as the PeerJS client does',
      method: 'server and load generator in separate processes per target, both targets up side by side, phases alternating, best of 3 rounds; pairing, parts and latency measured while each server holds its N idle sockets; idle memory read 16 s after the sockets went quiet, after GC',
      logs: 'ours at log level warn with logs discarded (no per-socket records built); PeerJS logs nothing per connection by default',
      cores: cpus().length, node: process.version, options: opts, ours: o, peerjs: p,
      pairing_rate_ratio: round(o.pairingPerSec / p.pairingPerSec, 2),
      memory_per_socket_ratio: round(o.perSocketBytes / p.perSocketBytes, 2),
    },
  });
}

if (roleArg === 'server-ours') void runOurServer();
else if (roleArg === 'server-peerjs') void runPeerServer();
else if (roleArg === 'load') void runLoad();
else main().catch((e) => { console.error(e); process.exit(1); });
