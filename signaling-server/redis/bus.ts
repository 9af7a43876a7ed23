/**
 * Routing between nodes over Redis pub/sub. Each node subscribes to the
 * channel of every room in which it holds a socket (reference-counted), and
 * to each connected agent's channel (screen pops, approval decisions), and
 * to the supervisors' channel (approval requests and closings). A node that
 * cannot deliver a frame locally publishes it on the room channel; nodes
 * holding a target seat deliver it. Envelopes are validated on arrival like any other input.
 */
import { z } from 'zod';
import type { Redis } from 'ioredis';
import { ServerMessage } from '../protocol/index';
import { connectRedis } from './store';

const id = z.string().min(1).max(128);

export const Envelope = z.discriminatedUnion('kind', [
  /** Deliver `msg` to member `to`, or to every member of the room but `except`. */
  z.object({ kind: z.literal('deliver'), roomId: id, to: id.optional(), except: id.optional(), msg: ServerMessage, origin: id, sentAt: z.number() }),
  /** A seat was taken over on another node: whoever holds it here must let go (without telling the room). */
  z.object({ kind: z.literal('evict'), roomId: id, memberId: id, origin: id }),
  /** For every socket of an agent, wherever it is connected. */
  z.object({ kind: z.literal('agent'), agentId: id, msg: ServerMessage, origin: id }),
  /** For every socket whose identity has this role, on every node (approval requests to supervisors). */
  z.object({ kind: z.literal('role'), role: z.enum(['supervisor']), msg: ServerMessage, origin: id }),
]);
export type Envelope = z.infer<typeof Envelope>;

export interface BusOptions { url: string; prefix: string; nodeId: string; onError?: (err: Error) => void }

export class RedisBus {
  readonly nodeId: string;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly prefix: string;
  private refs = new Map<string, number>();
  private subscribing = new Map<string, Promise<void>>();
  private handlers: Array<(e: Envelope) => void> = [];
  /** Frames that failed validation (a foreign or corrupted publisher on a shared Redis). */
  dropped = 0;

  constructor(opts: BusOptions) {
    this.nodeId = opts.nodeId;
    this.prefix = opts.prefix;
    this.pub = connectRedis(opts.url, `signaling-${opts.nodeId}-pub`);
    this.sub = connectRedis(opts.url, `signaling-${opts.nodeId}-sub`);
    const onError = opts.onError ?? (() => {});
    this.pub.on('error', onError);
    this.sub.on('error', onError);
    this.sub.on('message', (_channel: string, raw: string) => {
      let env: Envelope;
      try {
        const r = Envelope.safeParse(JSON.parse(raw));
        if (!r.success) { this.dropped++; return; }
        env = r.data;
      } catch { this.dropped++; return; }
      if (env.origin === this.nodeId) return; // this node already delivered locally
      for (const h of this.handlers) h(env);
    });
  }

  roomChannel(roomId: string): string { return `${this.prefix}ch:room:${roomId}`; }
  agentChannel(agentId: string): string { return `${this.prefix}ch:agent:${agentId}`; }
  roleChannel(role: string): string { return `${this.prefix}ch:role:${role}`; }

  onEnvelope(h: (e: Envelope) => void): void { this.handlers.push(h); }

  /** Start receiving a channel; counted, so several local sockets in one room share one subscription. */
  async hold(channel: string): Promise<void> {
    const n = (this.refs.get(channel) ?? 0) + 1;
    this.refs.set(channel, n);
    // every holder waits for the one SUBSCRIBE: a frame published before it is confirmed would be lost
    let p = this.subscribing.get(channel);
    if (n === 1 || !p) {
      p = this.sub.subscribe(channel).then(() => undefined);
      this.subscribing.set(channel, p);
    }
    await p;
  }

  async release(channel: string): Promise<void> {
    const n = (this.refs.get(channel) ?? 0) - 1;
    if (n > 0) { this.refs.set(channel, n); return; }
    if (!this.refs.has(channel)) return;
    this.refs.delete(channel);
    this.subscribing.delete(channel);
    await this.sub.unsubscribe(channel);
  }

  holding(channel: string): boolean { return this.refs.has(channel); }

  /** Publish to a room; resolves to the number of nodes that received it. */
  async toRoom(env: Extract<Envelope, { kind: 'deliver' | 'evict' }>): Promise<number> {
    return this.pub.publish(this.roomChannel(env.roomId), JSON.stringify(env));
  }

  async toAgent(env: Extract<Envelope, { kind: 'agent' }>): Promise<number> {
    return this.pub.publish(this.agentChannel(env.agentId), JSON.stringify(env));
  }

  async toRole(env: Extract<Envelope, { kind: 'role' }>): Promise<number> {
    return this.pub.publish(this.roleChannel(env.role), JSON.stringify(env));
  }

  async close(): Promise<void> {
    this.refs.clear();
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
