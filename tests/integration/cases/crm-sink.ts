import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SinkRecord { key: string; caseId: number; seq: number; type: string }

/**
 * A CRM stand-in on 127.0.0.1: stores each event once by its idempotency key
 * (its memory survives a restart, like a real CRM's database), and can be told
 * to fail with 500, to store-then-answer-too-late (the client times out), or
 * to go away and come back.
 */
export class CrmSink {
  readonly accepted: SinkRecord[] = [];
  readonly requestsByKey = new Map<string, number>();
  readonly statuses: number[] = [];
  /** Keys stored by a request whose answer came too late for the client. */
  readonly slowKeys = new Set<string>();
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  port = 0;
  requestCount = 0;
  /** Decide what the n-th request (1-based) gets. */
  behaviour: (n: number) => 'ok' | 'fail' | 'slow' | 'reject' = () => 'ok';
  slowMs = 500;

  constructor(readonly token: string) {}

  async start(port = this.port): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Go away abruptly: open connections are cut. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    for (const sock of this.sockets) sock.destroy();
    await new Promise<void>((r) => s.close(() => r()));
  }

  get url(): string { return `http://127.0.0.1:${this.port}/crm/events`; }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const n = ++this.requestCount;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: unknown) => {
      this.statuses.push(status);
      if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/crm/events') return send(404, { error: 'not found' });
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { error: 'unauthorized' });
    let body: { idempotencyKey?: string; caseId?: number; seq?: number; type?: string };
    try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { return send(400, { error: 'bad json' }); }
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key !== body.idempotencyKey) return send(400, { error: 'idempotency key mismatch' });
    this.requestsByKey.set(key, (this.requestsByKey.get(key) ?? 0) + 1);

    const mode = this.behaviour(n);
    if (mode === 'fail') return send(500, { error: 'crm down' });
    if (mode === 'reject') return send(422, { error: 'unprocessable' });
    const dup = this.accepted.some((a) => a.key === key);
    if (!dup) this.accepted.push({ key, caseId: body.caseId!, seq: body.seq!, type: body.type! });
    if (mode === 'slow') {
      this.slowKeys.add(key);
      await new Promise((r) => setTimeout(r, this.slowMs));
    }
    send(200, { stored: !dup, duplicate: dup });
  }
}
