/**
 * Uploaded stills in Redis, for deployments of several nodes: the record as JSON,
 * the bytes as one string grown by APPEND inside a script that checks the offset
 * first (the atomicity rule of upload-store.ts), both expiring together.
 */
import type { Redis } from 'ioredis';
import type { AppendResult, StillUploads, UploadRecord } from './upload-store';

const APPEND = `
local meta = redis.call('GET', KEYS[1])
if not meta then return {0, 'unknown', 0} end
local len = redis.call('STRLEN', KEYS[2])
if tonumber(ARGV[1]) ~= len then return {0, 'offset_mismatch', len} end
local total = cjson.decode(meta).bytes
if len + string.len(ARGV[2]) > total then return {0, 'too_large', len} end
redis.call('APPEND', KEYS[2], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return {1, 'ok', len + string.len(ARGV[2])}
`;

type WithAppend = Redis & { sigStillAppend(meta: string, data: string, offset: number, chunk: Buffer): Promise<[number, string, number]> };

export class RedisStillUploads implements StillUploads {
  private readonly r: WithAppend;

  constructor(redis: Redis, private readonly prefix = 'sig:') {
    redis.defineCommand('sigStillAppend', { numberOfKeys: 2, lua: APPEND });
    this.r = redis as WithAppend;
  }

  private k(...parts: string[]): string { return this.prefix + parts.join(':'); }

  async create(rec: UploadRecord, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1000, ttlMs);
    const ok = await this.r.set(this.k('up', rec.id), JSON.stringify(rec), 'PX', ttl, 'NX');
    if (ok !== 'OK') return false;
    const seat = this.k('upseat', rec.roomId, rec.memberId);
    await this.r.multi().sadd(seat, rec.id).pexpire(seat, ttl).exec();
    return true;
  }

  async append(id: string, offset: number, chunk: Buffer): Promise<AppendResult> {
    const [ok, reason, received] = await this.r.sigStillAppend(this.k('up', id), this.k('upd', id), offset, chunk);
    if (ok === 1) return { ok: true, received: Number(received) };
    return { ok: false, reason: reason as 'unknown' | 'offset_mismatch' | 'too_large', received: Number(received) };
  }

  async status(id: string): Promise<{ rec: UploadRecord, received: number } | undefined> {
    const [meta, len] = await Promise.all([this.r.get(this.k('up', id)), this.r.strlen(this.k('upd', id))]);
    return meta ? { rec: JSON.parse(meta) as UploadRecord, received: len } : undefined;
  }

  async read(id: string): Promise<{ rec: UploadRecord, bytes: Buffer } | undefined> {
    const [meta, bytes] = await Promise.all([this.r.get(this.k('up', id)), this.r.getBuffer(this.k('upd', id))]);
    return meta ? { rec: JSON.parse(meta) as UploadRecord, bytes: bytes ?? Buffer.alloc(0) } : undefined;
  }

  async remove(id: string): Promise<void> {
    await this.r.del(this.k('up', id), this.k('upd', id));
  }

  async openFor(roomId: string, memberId: string): Promise<number> {
    const ids = await this.r.smembers(this.k('upseat', roomId, memberId));
    let n = 0;
    for (const id of ids) {
      const s = await this.status(id);
      if (s && s.received < s.rec.bytes) n++;
    }
    return n;
  }

  /** The connection belongs to the store that lent it. */
  async close(): Promise<void> {}
}
