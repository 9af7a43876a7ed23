/**
 * SignalingStore on Redis, shared by every node of a deployment: invites
 * (only sha256 hashes; single use decided atomically in Lua), rooms, resume
 * seats, short codes, and which node holds each online seat (presence).
 * A node refreshes `node:<id>` every few seconds; when it dies, any other
 * node's sweep marks that node's seats offline (reapDeadNodes), so the room
 * can be resumed on a survivor and idle rooms still end.
 */
import { Redis } from 'ioredis';
import type { ContextPacket } from '../protocol/index';
import type { ClusterStore, InviteRecord, ReapedSeat, RedeemResult, RoomRecord, SeatRecord } from '../store';
import { ADD_AGENT_SEAT, CREATE_ROOM, END_ROOM, HAND_ROOM, REAP_SEAT, REDEEM, REISSUE, REMOVE_SEAT, SET_ONLINE, UPDATE_HANDOFF } from './scripts';
import type { HandoffRecord, HandoffRecordState, HandoffUpdateResult, PresenceRecord } from '../handoff/records';

/** A seat as kept in Redis: context as an opaque string, plus the node holding it. */
interface StoredSeat { memberId: string; role: SeatRecord['role']; ctx?: string; resumeHash?: string; online: boolean; joinedAt: number; node?: string; agentId?: string; name?: string }
interface StoredRoom { roomId: string; agentId: string; createdAt: number; emptySince?: number; seats: StoredSeat[] | Record<string, never> }

export interface RedisStoreOptions {
  /** redis://, rediss:// or a unix socket path */
  url: string;
  prefix?: string;
  nodeId: string;
  /** Used/expired invite records are kept this long after expiry (to say "used"/"expired", not "unknown"). */
  inviteRetentionMs?: number;
  /** How long a node's liveness key outlives its last refresh. */
  nodeTtlMs?: number;
  /** An existing connection (tests share one); the store then does not close it. */
  client?: Redis;
}

export type { ReapedSeat } from '../store';

export function connectRedis(url: string, name: string): Redis {
  const opts = { connectionName: name, maxRetriesPerRequest: 3, enableAutoPipelining: true, lazyConnect: false };
  if (url.startsWith('unix://') || url.startsWith('/')) return new Redis({ ...opts, path: url.replace(/^unix:\/\//, '') });
  return new Redis(url, opts);
}

function toRecord(raw: string | null | undefined): RoomRecord | undefined {
  if (!raw) return undefined;
  const r = JSON.parse(raw) as StoredRoom;
  const seats = Array.isArray(r.seats) ? r.seats : [];
  const room: RoomRecord = { roomId: r.roomId, agentId: r.agentId, createdAt: r.createdAt, seats: seats.map(toSeat) };
  if (typeof r.emptySince === 'number') room.emptySince = r.emptySince;
  return room;
}

function toSeat(s: StoredSeat): SeatRecord {
  const seat: SeatRecord = { memberId: s.memberId, role: s.role, online: Boolean(s.online), joinedAt: s.joinedAt };
  if (s.resumeHash) seat.resumeHash = s.resumeHash;
  if (s.agentId) seat.agentId = s.agentId;
  if (s.name) seat.name = s.name;
  if (s.ctx) {
    try { seat.context = JSON.parse(s.ctx) as ContextPacket; } catch { /* written by us; never malformed */ }
  }
  return seat;
}

function fromSeat(s: SeatRecord, node?: string): StoredSeat {
  const out: StoredSeat = { memberId: s.memberId, role: s.role, online: s.online, joinedAt: s.joinedAt };
  if (s.resumeHash) out.resumeHash = s.resumeHash;
  if (s.agentId) out.agentId = s.agentId;
  if (s.name) out.name = s.name;
  if (s.context) out.ctx = JSON.stringify(s.context);
  if (node && s.online) out.node = node;
  return out;
}

export class RedisStore implements ClusterStore {
  readonly redis: Redis;
  readonly prefix: string;
  readonly nodeId: string;
  private readonly ownsClient: boolean;
  private readonly inviteRetentionMs: number;
  private readonly nodeTtlMs: number;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(opts: RedisStoreOptions) {
    this.prefix = opts.prefix ?? 'sig:';
    this.nodeId = opts.nodeId;
    this.inviteRetentionMs = opts.inviteRetentionMs ?? 24 * 3600_000;
    this.nodeTtlMs = opts.nodeTtlMs ?? 15_000;
    this.ownsClient = !opts.client;
    this.redis = opts.client ?? connectRedis(opts.url, `signaling-${opts.nodeId}`);
    const r = this.redis;
    r.defineCommand('sigCreateRoom', { numberOfKeys: 0, lua: CREATE_ROOM });
    r.defineCommand('sigRedeem', { numberOfKeys: 0, lua: REDEEM });
    r.defineCommand('sigSetOnline', { numberOfKeys: 0, lua: SET_ONLINE });
    r.defineCommand('sigReapSeat', { numberOfKeys: 0, lua: REAP_SEAT });
    r.defineCommand('sigRemoveSeat', { numberOfKeys: 0, lua: REMOVE_SEAT });
    r.defineCommand('sigEndRoom', { numberOfKeys: 0, lua: END_ROOM });
    r.defineCommand('sigReissue', { numberOfKeys: 0, lua: REISSUE });
    r.defineCommand('sigAddAgentSeat', { numberOfKeys: 0, lua: ADD_AGENT_SEAT });
    r.defineCommand('sigHandRoom', { numberOfKeys: 0, lua: HAND_ROOM });
    r.defineCommand('sigUpdateHandoff', { numberOfKeys: 0, lua: UPDATE_HANDOFF });
  }

  private k(...parts: string[]): string { return this.prefix + parts.join(':'); }
  private run(cmd: string, ...args: Array<string | number>): Promise<string | null> {
    return (this.redis as unknown as Record<string, (...a: Array<string | number>) => Promise<string | null>>)[cmd]!(this.prefix, ...args);
  }

  /** Announce this node alive now and every nodeTtlMs/3; other nodes reap its seats once it stops. */
  async startPresence(): Promise<void> {
    const beat = async () => {
      await this.redis.multi().set(this.k('node', this.nodeId), String(Date.now()), 'PX', this.nodeTtlMs).sadd(this.k('nodes'), this.nodeId).exec();
    };
    await beat();
    this.heartbeat = setInterval(() => { beat().catch(() => { /* redis down: the next beat retries */ }); }, Math.max(100, Math.floor(this.nodeTtlMs / 3)));
    this.heartbeat.unref();
  }

  async ping(): Promise<boolean> {
    try { return (await this.redis.ping()) === 'PONG'; } catch { return false; }
  }

  // ---------------------------------------------------------------- invites

  async putInvite(invite: InviteRecord): Promise<void> {
    const ttl = Math.max(1000, invite.expiresAt - Date.now() + this.inviteRetentionMs);
    await this.redis.multi()
      .set(this.k('inv', invite.hash), JSON.stringify(invite), 'PX', ttl)
      .sadd(this.k('roominv', invite.roomId), invite.hash)
      .exec();
  }

  async getInvite(hash: string): Promise<InviteRecord | undefined> {
    const raw = await this.redis.get(this.k('inv', hash));
    return raw ? (JSON.parse(raw) as InviteRecord) : undefined;
  }

  async redeemInvite(hash: string, now: number, seat: SeatRecord, maxMembers: number): Promise<RedeemResult> {
    const raw = await this.run('sigRedeem', hash, now, JSON.stringify(fromSeat(seat, this.nodeId)), maxMembers, this.nodeId);
    const r = JSON.parse(raw!) as { ok: boolean, reason?: string, room?: StoredRoom, invite?: InviteRecord, replaced?: StoredSeat };
    if (!r.ok) return { ok: false, reason: r.reason as Exclude<RedeemResult, { ok: true }>['reason'] };
    const out: RedeemResult = { ok: true, room: toRecord(JSON.stringify(r.room))!, invite: r.invite! };
    if (r.replaced) out.replaced = toSeat(r.replaced);
    return out;
  }

  /** Bind a short numeric code to an invite hash until it expires. False if the code is taken (caller draws another). */
  async putCode(code: string, inviteHash: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.k('code', code), inviteHash, 'PX', Math.max(1000, ttlMs), 'NX')) === 'OK';
  }

  /** Single use: the code is gone after the first lookup, right or wrong room. */
  async takeCode(code: string): Promise<string | undefined> {
    return (await this.redis.getdel(this.k('code', code))) ?? undefined;
  }

  async reissueInvite(oldHash: string, newHash: string, now: number): Promise<{ ok: true, invite: InviteRecord } | { ok: false, reason: 'invite_unknown' | 'invite_expired' | 'invite_used' }> {
    const r = JSON.parse((await this.run('sigReissue', oldHash, newHash, now))!) as { ok: boolean, reason?: 'invite_unknown' | 'invite_expired' | 'invite_used', invite?: InviteRecord };
    return r.ok ? { ok: true, invite: r.invite! } : { ok: false, reason: r.reason! };
  }

  // ---------------------------------------------------------------- rooms

  async createRoom(room: RoomRecord): Promise<void> {
    const stored: StoredRoom = { roomId: room.roomId, agentId: room.agentId, createdAt: room.createdAt, seats: room.seats.map((s) => fromSeat(s, this.nodeId)) };
    if (room.emptySince !== undefined) stored.emptySince = room.emptySince;
    await this.run('sigCreateRoom', JSON.stringify(stored), room.emptySince ?? room.createdAt);
  }

  async getRoom(roomId: string): Promise<RoomRecord | undefined> {
    return toRecord(await this.redis.get(this.k('room', roomId)));
  }

  async findOpenRoomForAgent(agentId: string): Promise<RoomRecord | undefined> {
    const roomId = await this.redis.get(this.k('agentroom', agentId));
    return roomId ? this.getRoom(roomId) : undefined;
  }

  async findSeatByResume(resumeHash: string): Promise<{ room: RoomRecord, seat: SeatRecord } | undefined> {
    const raw = await this.redis.get(this.k('resume', resumeHash));
    if (!raw) return undefined;
    const ref = JSON.parse(raw) as { roomId: string, memberId: string };
    const room = await this.getRoom(ref.roomId);
    const seat = room?.seats.find((s) => s.memberId === ref.memberId);
    return room && seat ? { room, seat } : undefined;
  }

  async setSeatOnline(roomId: string, memberId: string, online: boolean, now: number, context?: ContextPacket): Promise<RoomRecord | undefined> {
    return toRecord(await this.run('sigSetOnline', roomId, memberId, online ? '1' : '0', now, context ? JSON.stringify(context) : '', this.nodeId));
  }

  async removeSeat(roomId: string, memberId: string, now: number): Promise<RoomRecord | undefined> {
    return toRecord(await this.run('sigRemoveSeat', roomId, memberId, now));
  }

  async endRoom(roomId: string): Promise<RoomRecord | undefined> {
    return toRecord(await this.run('sigEndRoom', roomId, ''));
  }

  /** Which node holds an online seat (undefined when offline or unknown). */
  async seatNode(roomId: string, memberId: string): Promise<string | undefined> {
    const raw = await this.redis.get(this.k('room', roomId));
    if (!raw) return undefined;
    const r = JSON.parse(raw) as StoredRoom;
    const s = (Array.isArray(r.seats) ? r.seats : []).find((x) => x.memberId === memberId);
    return s?.online ? s.node : undefined;
  }

  async sweep(now: number, opts: { roomIdleMs: number, inviteRetentionMs: number }): Promise<{ endedRooms: RoomRecord[], forgottenInvites: number }> {
    // Invite records expire by themselves (PX at put time); only idle rooms need ending here.
    const cutoff = now - opts.roomIdleMs;
    const ids = await this.redis.zrangebyscore(this.k('empty'), '-inf', cutoff, 'LIMIT', 0, 500);
    const endedRooms: RoomRecord[] = [];
    for (const id of ids) {
      // the script re-checks emptySince: a member may have come back since the range was read
      const r = toRecord(await this.run('sigEndRoom', id, cutoff));
      if (r) endedRooms.push(r);
    }
    return { endedRooms, forgottenInvites: 0 };
  }

  /**
   * Seats still marked online on nodes whose liveness key has expired are
   * marked offline; returns them so the caller can tell the rest of the room
   * (peer_left, reason timeout). Safe to run on every node concurrently:
   * the per-seat script only flips a seat the dead node still holds.
   */
  async reapDeadNodes(now: number): Promise<ReapedSeat[]> {
    const nodes = await this.redis.smembers(this.k('nodes'));
    const out: ReapedSeat[] = [];
    for (const node of nodes) {
      if (node === this.nodeId) continue;
      if (await this.redis.exists(this.k('node', node))) continue;
      const members = await this.redis.smembers(this.k('nodeseats', node));
      for (const m of members) {
        const [roomId, memberId] = m.split('|') as [string, string];
        const room = toRecord(await this.run('sigReapSeat', roomId, memberId, node, now));
        const seat = room?.seats.find((s) => s.memberId === memberId);
        if (room && seat) out.push({ room, memberId, role: seat.role });
        await this.redis.srem(this.k('nodeseats', node), m);
      }
      if ((await this.redis.scard(this.k('nodeseats', node))) === 0) await this.redis.srem(this.k('nodes'), node);
    }
    return out;
  }

  // ---------------------------------------------------------------- hand-offs (issue 13)

  async addAgentSeat(roomId: string, seat: SeatRecord, maxSeats: number): Promise<RoomRecord | undefined> {
    return toRecord(await this.run('sigAddAgentSeat', roomId, JSON.stringify(fromSeat(seat, this.nodeId)), maxSeats, Date.now(), this.nodeId));
  }

  async handRoom(roomId: string, toAgentId: string, leavingMemberId: string | undefined, now: number): Promise<RoomRecord | undefined> {
    return toRecord(await this.run('sigHandRoom', roomId, toAgentId, leavingMemberId ?? '', now));
  }

  async putHandoff(rec: HandoffRecord, ttlMs: number): Promise<{ created: boolean, rec: HandoffRecord }> {
    const key = this.k('handoff', rec.id);
    const set = await this.redis.set(key, JSON.stringify(rec), 'PX', Math.max(1000, ttlMs), 'NX');
    if (set === 'OK') {
      await this.redis.sadd(this.k('handoffs'), rec.id);
      return { created: true, rec };
    }
    const cur = await this.getHandoff(rec.id);
    return cur ? { created: false, rec: cur } : this.putHandoff(rec, ttlMs);
  }

  async getHandoff(id: string): Promise<HandoffRecord | undefined> {
    const raw = await this.redis.get(this.k('handoff', id));
    return raw ? (JSON.parse(raw) as HandoffRecord) : undefined;
  }

  async updateHandoff(id: string, from: readonly HandoffRecordState[], patch: Partial<HandoffRecord>): Promise<HandoffUpdateResult> {
    const r = JSON.parse((await this.run('sigUpdateHandoff', id, from.join(','), JSON.stringify(patch)))!) as { ok: boolean, rec?: HandoffRecord };
    return r.ok ? { ok: true, rec: r.rec! } : r.rec ? { ok: false, rec: r.rec } : { ok: false };
  }

  async openHandoffs(): Promise<HandoffRecord[]> {
    const ids = await this.redis.smembers(this.k('handoffs'));
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.k('handoff', id)));
    const out: HandoffRecord[] = [];
    const gone: string[] = [];
    raws.forEach((raw, i) => {
      if (!raw) { gone.push(ids[i]!); return; }
      const rec = JSON.parse(raw) as HandoffRecord;
      if (rec.state === 'offered' || rec.state === 'accepted') out.push(rec);
    });
    if (gone.length) await this.redis.srem(this.k('handoffs'), ...gone);
    return out;
  }

  async putHandoffCase(id: string, bytes: Buffer, ttlMs: number): Promise<void> {
    await this.redis.set(this.k('handoffcase', id), bytes, 'PX', Math.max(1000, ttlMs));
  }

  async getHandoffCase(id: string): Promise<Buffer | undefined> {
    return (await this.redis.getBuffer(this.k('handoffcase', id))) ?? undefined;
  }

  async putPresence(p: PresenceRecord, ttlMs: number): Promise<void> {
    await this.redis.hset(this.k('presence'), p.id, JSON.stringify({ ...p, until: p.updatedAt + ttlMs }));
  }

  async removePresence(id: string): Promise<void> {
    await this.redis.hdel(this.k('presence'), id);
  }

  async listPresence(now: number): Promise<PresenceRecord[]> {
    const all = await this.redis.hgetall(this.k('presence'));
    const out: PresenceRecord[] = [];
    const stale: string[] = [];
    for (const [id, raw] of Object.entries(all)) {
      const { until, ...p } = JSON.parse(raw) as PresenceRecord & { until: number };
      if (until <= now) stale.push(id);
      else out.push(p);
    }
    if (stale.length) await this.redis.hdel(this.k('presence'), ...stale);
    return out;
  }

  async counts(): Promise<{ rooms: number, invites: number }> {
    // invites are not enumerated (that would be a SCAN over the keyspace); rooms are a set
    return { rooms: await this.redis.scard(this.k('rooms')), invites: 0 };
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    // a clean stop: let the others reap this node's seats at once instead of after nodeTtlMs
    try { await this.redis.del(this.k('node', this.nodeId)); } catch { /* redis gone */ }
    if (this.ownsClient) {
      try { await this.redis.quit(); } catch { this.redis.disconnect(); }
    }
  }
}
