/**
 * The embedded default store: plain Maps. Every method body is synchronous
 * inside its async wrapper, which is what makes redeemInvite atomic on one
 * Node event loop.
 *
 * Results are copies (the store contract), made by hand for these known
 * shapes rather than with structuredClone: that was a tenth of the store's
 * cost on the pairing path, and it duplicated every id string it copied
 * (strings are immutable, so sharing them is safe). Not Object.freeze to
 * share context packets instead: V8 gave each frozen packet a hidden class
 * of its own, ~0.5 KiB per seat (heap snapshot).
 */
import type { ContextPacket } from './protocol/index';
import { copyHandoff, type HandoffRecord, type HandoffRecordState, type HandoffUpdateResult, type PresenceRecord } from './handoff/records';
import { inviteState, type InviteRecord, type RedeemResult, type RoomRecord, type SeatRecord, type SignalingStore } from './store';

// Every field written out, optional ones too (as undefined): V8 then keeps them all inside the
// object, where adding one later (usedAt, context) would allocate a side array per record.
export function copyContext(c: ContextPacket): ContextPacket {
  return {
    browser: c.browser, os: c.os, deviceClass: c.deviceClass,
    screen: { width: c.screen.width, height: c.screen.height, dpr: c.screen.dpr },
    locale: c.locale, timeZone: c.timeZone, page: c.page, ref: c.ref, ani: c.ani,
    app: c.app === undefined ? undefined : { ...c.app },
  };
}
function copyInvite(inv: InviteRecord): InviteRecord {
  return {
    hash: inv.hash, roomId: inv.roomId, agentId: inv.agentId, role: inv.role, createdAt: inv.createdAt, expiresAt: inv.expiresAt,
    usedAt: inv.usedAt, revoked: inv.revoked, page: inv.page, ref: inv.ref, name: inv.name,
  };
}
function copySeat(s: SeatRecord): SeatRecord {
  return {
    memberId: s.memberId, role: s.role, context: s.context === undefined ? undefined : copyContext(s.context),
    resumeHash: s.resumeHash, online: s.online, joinedAt: s.joinedAt, agentId: s.agentId, name: s.name,
  };
}
function copyRoom(r: RoomRecord): RoomRecord {
  return { roomId: r.roomId, agentId: r.agentId, createdAt: r.createdAt, seats: r.seats.map(copySeat), emptySince: r.emptySince };
}

export class MemoryStore implements SignalingStore {
  private invites = new Map<string, InviteRecord>();
  private rooms = new Map<string, RoomRecord>();
  private roomByAgent = new Map<string, string>();
  private resume = new Map<string, { roomId: string, memberId: string }>();
  private codes = new Map<string, { hash: string, until: number }>();
  /**
   * roomId -> hashes of its invites, so ending a room does not scan every invite ever made.
   * An array, not a Set: a room has one or two invites, and a Set's table costs ~150 bytes per room.
   */
  private roomInvites = new Map<string, string[]>();
  private handoffs = new Map<string, { rec: HandoffRecord, until: number }>();
  private presence = new Map<string, { p: PresenceRecord, until: number }>();
  private cases = new Map<string, { bytes: Buffer, until: number }>();

  private indexInvite(roomId: string, hash: string): void {
    const list = this.roomInvites.get(roomId);
    if (!list) this.roomInvites.set(roomId, [hash]);
    else if (!list.includes(hash)) this.roomInvites.set(roomId, list.concat(hash)); // exactly sized, unlike push
  }

  async putInvite(invite: InviteRecord): Promise<void> {
    this.invites.set(invite.hash, copyInvite(invite));
    this.indexInvite(invite.roomId, invite.hash);
  }

  async getInvite(hash: string): Promise<InviteRecord | undefined> {
    const inv = this.invites.get(hash);
    return inv && copyInvite(inv);
  }

  async redeemInvite(hash: string, now: number, seat: SeatRecord, maxMembers: number): Promise<RedeemResult> {
    const inv = this.invites.get(hash);
    const state = inviteState(inv, now);
    if (!inv || state === 'unknown') return { ok: false, reason: 'invite_unknown' };
    if (state === 'used') return { ok: false, reason: 'invite_used' };
    if (state === 'expired') return { ok: false, reason: 'invite_expired' };
    const room = this.rooms.get(inv.roomId);
    if (!room) return { ok: false, reason: 'invite_expired' };
    let replaced: SeatRecord | undefined;
    const sameRole = room.seats.find((s) => s.role === inv.role);
    if (sameRole) {
      if (sameRole.online) return { ok: false, reason: 'room_full' };
      replaced = sameRole;
    }
    const after = room.seats.length - (replaced ? 1 : 0) + 1;
    if (after > maxMembers) return { ok: false, reason: 'room_full' };
    if (replaced) {
      room.seats = room.seats.filter((s) => s !== replaced);
      if (replaced.resumeHash) this.resume.delete(replaced.resumeHash);
    }
    inv.usedAt = now;
    const newSeat = copySeat(seat);
    newSeat.role = inv.role;
    // a technician's name comes from the agent's invite, never from the guest
    if (inv.name !== undefined) newSeat.name = inv.name;
    room.seats = room.seats.concat(newSeat); // exactly sized (push would reserve room for ~16)
    if (newSeat.online) room.emptySince = undefined; // (not delete: that would turn the record into a slow dictionary object)
    if (newSeat.resumeHash) this.resume.set(newSeat.resumeHash, { roomId: room.roomId, memberId: newSeat.memberId });
    return replaced
      ? { ok: true, room: copyRoom(room), invite: copyInvite(inv), replaced: copySeat(replaced) }
      : { ok: true, room: copyRoom(room), invite: copyInvite(inv) };
  }

  async createRoom(room: RoomRecord): Promise<void> {
    this.rooms.set(room.roomId, copyRoom(room));
    this.roomByAgent.set(room.agentId, room.roomId);
  }

  async getRoom(roomId: string): Promise<RoomRecord | undefined> {
    const r = this.rooms.get(roomId);
    return r && copyRoom(r);
  }

  async findOpenRoomForAgent(agentId: string): Promise<RoomRecord | undefined> {
    const id = this.roomByAgent.get(agentId);
    const r = id ? this.rooms.get(id) : undefined;
    return r && copyRoom(r);
  }

  async findSeatByResume(resumeHash: string): Promise<{ room: RoomRecord, seat: SeatRecord } | undefined> {
    const ref = this.resume.get(resumeHash);
    if (!ref) return undefined;
    const room = this.rooms.get(ref.roomId);
    const seat = room?.seats.find((s) => s.memberId === ref.memberId);
    if (!room || !seat) return undefined;
    return { room: copyRoom(room), seat: copySeat(seat) };
  }

  async setSeatOnline(roomId: string, memberId: string, online: boolean, now: number, context?: ContextPacket): Promise<RoomRecord | undefined> {
    const room = this.rooms.get(roomId);
    const seat = room?.seats.find((s) => s.memberId === memberId);
    if (!room || !seat) return undefined;
    seat.online = online;
    if (context) seat.context = copyContext(context);
    this.updateEmpty(room, now);
    return copyRoom(room);
  }

  async removeSeat(roomId: string, memberId: string, now: number): Promise<RoomRecord | undefined> {
    const room = this.rooms.get(roomId);
    if (!room) return undefined;
    const seat = room.seats.find((s) => s.memberId === memberId);
    if (seat?.resumeHash) this.resume.delete(seat.resumeHash);
    room.seats = room.seats.filter((s) => s.memberId !== memberId);
    this.updateEmpty(room, now);
    return copyRoom(room);
  }

  async endRoom(roomId: string): Promise<RoomRecord | undefined> {
    const room = this.rooms.get(roomId);
    if (!room) return undefined;
    this.rooms.delete(roomId);
    if (this.roomByAgent.get(room.agentId) === roomId) this.roomByAgent.delete(room.agentId);
    for (const s of room.seats) if (s.resumeHash) this.resume.delete(s.resumeHash);
    for (const hash of this.roomInvites.get(roomId) ?? []) {
      const inv = this.invites.get(hash);
      if (inv && inv.usedAt === undefined) inv.revoked = true;
    }
    this.roomInvites.delete(roomId);
    return room;
  }

  async sweep(now: number, opts: { roomIdleMs: number, inviteRetentionMs: number }): Promise<{ endedRooms: RoomRecord[], forgottenInvites: number }> {
    const endedRooms: RoomRecord[] = [];
    for (const room of [...this.rooms.values()]) {
      if (room.emptySince !== undefined && now - room.emptySince >= opts.roomIdleMs) {
        const ended = await this.endRoom(room.roomId);
        if (ended) endedRooms.push(ended);
      }
    }
    let forgottenInvites = 0;
    for (const [hash, inv] of this.invites) {
      if (now - inv.expiresAt >= opts.inviteRetentionMs) {
        this.invites.delete(hash);
        const list = this.roomInvites.get(inv.roomId);
        if (list) {
          const i = list.indexOf(hash);
          if (i >= 0) list.splice(i, 1);
          if (list.length === 0) this.roomInvites.delete(inv.roomId);
        }
        forgottenInvites++;
      }
    }
    return { endedRooms, forgottenInvites };
  }

  async putCode(code: string, inviteHash: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const cur = this.codes.get(code);
    if (cur && cur.until > now) return false;
    if (this.codes.size > 10_000) for (const [k, v] of this.codes) if (v.until <= now) this.codes.delete(k);
    this.codes.set(code, { hash: inviteHash, until: now + ttlMs });
    return true;
  }

  async takeCode(code: string): Promise<string | undefined> {
    const cur = this.codes.get(code);
    this.codes.delete(code);
    return cur && cur.until > Date.now() ? cur.hash : undefined;
  }

  async reissueInvite(oldHash: string, newHash: string, now: number): Promise<{ ok: true, invite: InviteRecord } | { ok: false, reason: 'invite_unknown' | 'invite_expired' | 'invite_used' }> {
    const inv = this.invites.get(oldHash);
    const state = inviteState(inv, now);
    if (!inv || state === 'unknown') return { ok: false, reason: 'invite_unknown' };
    if (state === 'used') return { ok: false, reason: 'invite_used' };
    if (state === 'expired' || !this.rooms.has(inv.roomId)) return { ok: false, reason: 'invite_expired' };
    inv.usedAt = now;
    const copyRec = copyInvite(inv);
    copyRec.hash = newHash;
    copyRec.usedAt = undefined;
    this.invites.set(newHash, copyRec);
    this.indexInvite(copyRec.roomId, newHash);
    return { ok: true, invite: copyInvite(copyRec) };
  }

  // ---------------------------------------------------------------- hand-offs (issue 13)

  async addAgentSeat(roomId: string, seat: SeatRecord, maxSeats: number): Promise<RoomRecord | undefined> {
    const room = this.rooms.get(roomId);
    if (!room || room.seats.length >= maxSeats) return undefined;
    room.seats = room.seats.filter((s) => s.memberId !== seat.memberId).concat(copySeat(seat));
    if (seat.online) room.emptySince = undefined;
    return copyRoom(room);
  }

  async handRoom(roomId: string, toAgentId: string, leavingMemberId: string | undefined, now: number): Promise<RoomRecord | undefined> {
    const room = this.rooms.get(roomId);
    if (!room) return undefined;
    if (this.roomByAgent.get(room.agentId) === roomId) this.roomByAgent.delete(room.agentId);
    room.agentId = toAgentId;
    this.roomByAgent.set(toAgentId, roomId);
    if (leavingMemberId) room.seats = room.seats.filter((s) => s.memberId !== leavingMemberId);
    this.updateEmpty(room, now);
    return copyRoom(room);
  }

  async putHandoff(rec: HandoffRecord, ttlMs: number): Promise<{ created: boolean, rec: HandoffRecord }> {
    const now = Date.now();
    const cur = this.handoffs.get(rec.id);
    if (cur && cur.until > now) return { created: false, rec: copyHandoff(cur.rec) };
    this.handoffs.set(rec.id, { rec: copyHandoff(rec), until: now + ttlMs });
    return { created: true, rec: copyHandoff(rec) };
  }

  async getHandoff(id: string): Promise<HandoffRecord | undefined> {
    const cur = this.handoffs.get(id);
    return cur && cur.until > Date.now() ? copyHandoff(cur.rec) : undefined;
  }

  async updateHandoff(id: string, from: readonly HandoffRecordState[], patch: Partial<HandoffRecord>): Promise<HandoffUpdateResult> {
    const cur = this.handoffs.get(id);
    if (!cur || cur.until <= Date.now()) return { ok: false };
    if (!from.includes(cur.rec.state)) return { ok: false, rec: copyHandoff(cur.rec) };
    Object.assign(cur.rec, patch);
    return { ok: true, rec: copyHandoff(cur.rec) };
  }

  async openHandoffs(): Promise<HandoffRecord[]> {
    const now = Date.now();
    const out: HandoffRecord[] = [];
    for (const [id, h] of this.handoffs) {
      if (h.until <= now) { this.handoffs.delete(id); continue; }
      if (h.rec.state === 'offered' || h.rec.state === 'accepted') out.push(copyHandoff(h.rec));
    }
    return out;
  }

  async putHandoffCase(id: string, bytes: Buffer, ttlMs: number): Promise<void> {
    const now = Date.now();
    for (const [k, v] of this.cases) if (v.until <= now) this.cases.delete(k);
    this.cases.set(id, { bytes: Buffer.from(bytes), until: now + ttlMs });
  }

  async getHandoffCase(id: string): Promise<Buffer | undefined> {
    const c = this.cases.get(id);
    return c && c.until > Date.now() ? Buffer.from(c.bytes) : undefined;
  }

  async putPresence(p: PresenceRecord, ttlMs: number): Promise<void> {
    this.presence.set(p.id, { p: { ...p, roles: [...p.roles], skills: [...p.skills], queues: [...p.queues] }, until: p.updatedAt + ttlMs });
  }

  async removePresence(id: string): Promise<void> {
    this.presence.delete(id);
  }

  async listPresence(now: number): Promise<PresenceRecord[]> {
    const out: PresenceRecord[] = [];
    for (const [id, e] of this.presence) {
      if (e.until <= now) { this.presence.delete(id); continue; }
      out.push({ ...e.p, roles: [...e.p.roles], skills: [...e.p.skills], queues: [...e.p.queues] });
    }
    return out;
  }

  async counts(): Promise<{ rooms: number, invites: number }> {
    return { rooms: this.rooms.size, invites: this.invites.size };
  }

  async close(): Promise<void> {
    this.invites.clear();
    this.roomInvites.clear();
    this.rooms.clear();
    this.roomByAgent.clear();
    this.resume.clear();
    this.codes.clear();
    this.handoffs.clear();
    this.presence.clear();
    this.cases.clear();
  }

  private updateEmpty(room: RoomRecord, now: number): void {
    if (room.seats.some((s) => s.online)) room.emptySince = undefined;
    else room.emptySince ??= now;
  }
}
