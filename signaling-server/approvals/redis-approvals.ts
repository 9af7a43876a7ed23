/**
 * Approval requests in Redis, shared by every node: each decision that reads
 * and writes (open under the limits, take, expire) is one Lua script, so the
 * rules of approval-store.ts hold across nodes. Keys (under the deployment's
 * prefix):
 *   apr:req:<id>    hash {j: the request as JSON, a: agent sub, x: expiresAt}
 *   apr:open        zset id -> expiresAt (every open request)
 *   apr:agent:<sub> zset id -> expiresAt (that agent's open requests)
 *   apr:done:<id>   hash {o: outcome, a: agent sub, t: closedAt, b?: decider, bn?: decider's name}, expiring
 *   apr:grant:<id>  hash {g: the signed grant, x: its exp in ms}, written by the winning take
 *                   and expiring with the grant (never later than the outcome)
 * The request is kept as an opaque JSON string: cjson would re-encode large
 * integers (case ids, amounts) with 14 significant digits.
 */
import type { Redis } from 'ioredis';
import type { ApprovalOutcome, ApprovalRequest } from '../protocol/index';
import { DEFAULT_CLOSED_RETENTION_MS, type ApprovalLimits, type ApprovalStore, type ClosedApproval, type OpenResult, type TakeExtra, type TakeResult } from './approval-store';

const closeReq = `
local P = ARGV[1]
local function closeReq(id, agent, outcome, by, now, keepMs)
  redis.call('DEL', P .. 'apr:req:' .. id)
  redis.call('ZREM', P .. 'apr:open', id)
  redis.call('ZREM', P .. 'apr:agent:' .. agent, id)
  local dk = P .. 'apr:done:' .. id
  if by ~= '' then redis.call('HSET', dk, 'o', outcome, 'a', agent, 't', now, 'b', by)
  else redis.call('HSET', dk, 'o', outcome, 'a', agent, 't', now) end
  redis.call('PEXPIRE', dk, keepMs)
end
`;

/** ARGV: prefix, id, agentSub, expiresAt, json, maxPerAgent, maxOpen, now -> 'ok' | 'agent' | 'total' */
const OPEN = `
local P = ARGV[1]
local notDue = '(' .. ARGV[8]
if redis.call('ZCOUNT', P .. 'apr:agent:' .. ARGV[3], notDue, '+inf') >= tonumber(ARGV[6]) then return 'agent' end
if redis.call('ZCOUNT', P .. 'apr:open', notDue, '+inf') >= tonumber(ARGV[7]) then return 'total' end
redis.call('HSET', P .. 'apr:req:' .. ARGV[2], 'j', ARGV[5], 'a', ARGV[3], 'x', ARGV[4])
redis.call('ZADD', P .. 'apr:open', ARGV[4], ARGV[2])
redis.call('ZADD', P .. 'apr:agent:' .. ARGV[3], ARGV[4], ARGV[2])
return 'ok'
`;

/**
 * ARGV: prefix, id, outcome, by, now, keepMs, byName, grant, grantExpiresAt
 *   -> {'ok', json} | {'expired_now', json} | {'closed', o, a, t, b} | {'not_found'}
 * Only the winning take keeps the decider's name and the grant (the latter for its lifetime).
 */
const TAKE = closeReq + `
local h = redis.call('HMGET', P .. 'apr:req:' .. ARGV[2], 'j', 'a', 'x')
if not h[1] then
  local d = redis.call('HMGET', P .. 'apr:done:' .. ARGV[2], 'o', 'a', 't', 'b')
  if not d[1] then return { 'not_found' } end
  return { 'closed', d[1], d[2], d[3], d[4] or '' }
end
if tonumber(h[3]) <= tonumber(ARGV[5]) then
  closeReq(ARGV[2], h[2], 'expired', '', ARGV[5], ARGV[6])
  return { 'expired_now', h[1] }
end
closeReq(ARGV[2], h[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
if ARGV[7] ~= '' then redis.call('HSET', P .. 'apr:done:' .. ARGV[2], 'bn', ARGV[7]) end
local grantMs = math.min(tonumber(ARGV[9]) - tonumber(ARGV[5]), tonumber(ARGV[6]))
if ARGV[8] ~= '' and grantMs > 0 then
  local gk = P .. 'apr:grant:' .. ARGV[2]
  redis.call('HSET', gk, 'g', ARGV[8], 'x', ARGV[9])
  redis.call('PEXPIRE', gk, grantMs)
end
return { 'ok', h[1] }
`;

/** ARGV: prefix, now, keepMs, limit -> the JSON of each request this call expired */
const EXPIRE_DUE = closeReq + `
local ids = redis.call('ZRANGEBYSCORE', P .. 'apr:open', '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[4]))
local out = {}
for _, id in ipairs(ids) do
  local h = redis.call('HMGET', P .. 'apr:req:' .. id, 'j', 'a')
  if h[1] then
    closeReq(id, h[2], 'expired', '', ARGV[2], ARGV[3])
    table.insert(out, h[1])
  else
    redis.call('ZREM', P .. 'apr:open', id)
  end
end
return out
`;

type Scripts = Redis & {
  sigAprOpen(...a: Array<string | number>): Promise<string>;
  sigAprTake(...a: Array<string | number>): Promise<string[]>;
  sigAprExpire(...a: Array<string | number>): Promise<string[]>;
};

const EXPIRE_BATCH = 100;

export class RedisApprovalStore implements ApprovalStore {
  private readonly r: Scripts;
  private readonly keepMs: number;

  /** `redis`: the node's store connection (not closed here); `prefix`: the deployment's key prefix. */
  constructor(redis: Redis, private readonly prefix = 'sig:', opts: { closedRetentionMs?: number } = {}) {
    redis.defineCommand('sigAprOpen', { numberOfKeys: 0, lua: OPEN });
    redis.defineCommand('sigAprTake', { numberOfKeys: 0, lua: TAKE });
    redis.defineCommand('sigAprExpire', { numberOfKeys: 0, lua: EXPIRE_DUE });
    this.r = redis as Scripts;
    this.keepMs = opts.closedRetentionMs ?? DEFAULT_CLOSED_RETENTION_MS;
  }

  private k(...parts: string[]): string { return this.prefix + parts.join(':'); }

  async open(request: ApprovalRequest, limits: ApprovalLimits, now: number): Promise<OpenResult> {
    const r = await this.r.sigAprOpen(this.prefix, request.requestId, request.agent.sub, request.expiresAt, JSON.stringify(request), limits.maxOpenPerAgent, limits.maxOpen, now);
    return r === 'ok' ? { ok: true } : { ok: false, over: r === 'agent' ? 'agent' : 'total' };
  }

  async get(requestId: string): Promise<ApprovalRequest | undefined> {
    const j = await this.r.hget(this.k('apr', 'req', requestId), 'j');
    return j ? (JSON.parse(j) as ApprovalRequest) : undefined;
  }

  async list(now: number): Promise<ApprovalRequest[]> {
    const ids = await this.r.zrangebyscore(this.k('apr', 'open'), `(${now}`, '+inf');
    if (ids.length === 0) return [];
    const p = this.r.pipeline();
    for (const id of ids) p.hget(this.k('apr', 'req', id), 'j');
    const out: ApprovalRequest[] = [];
    // a request closed between the two reads is simply not listed
    for (const [err, j] of (await p.exec()) ?? []) if (!err && typeof j === 'string') out.push(JSON.parse(j) as ApprovalRequest);
    return out.sort((a, b) => a.requestedAt - b.requestedAt);
  }

  async closed(requestId: string, now: number): Promise<ClosedApproval | undefined> {
    // one MULTI: the outcome and its grant as of one moment
    const res = await this.r.multi()
      .hmget(this.k('apr', 'done', requestId), 'o', 'a', 't', 'b', 'bn')
      .hmget(this.k('apr', 'grant', requestId), 'g', 'x')
      .exec();
    const [done, grant] = (res ?? []).map(([err, v]) => { if (err) throw err; return v as Array<string | null>; });
    const [o, a, t, b, bn] = done ?? [];
    if (!o) return undefined;
    const c = closedOf(o, a, t, b);
    if (bn) c.byName = bn;
    const [g, x] = grant ?? [];
    // the key expires with the grant; the clock check covers a node whose clock runs ahead of Redis's
    if (g && x && Number(x) > now) c.grant = { token: g, expiresAt: Number(x) };
    return c;
  }

  async take(requestId: string, outcome: 'approved' | 'declined', by: string, now: number, extra: TakeExtra = {}): Promise<TakeResult> {
    const r = await this.r.sigAprTake(this.prefix, requestId, outcome, by, now, this.keepMs, extra.byName ?? '', extra.grant?.token ?? '', extra.grant?.expiresAt ?? 0);
    if (r[0] === 'ok') return { ok: true, request: JSON.parse(r[1]!) as ApprovalRequest };
    if (r[0] === 'expired_now') return { ok: false, reason: 'expired_now', request: JSON.parse(r[1]!) as ApprovalRequest };
    if (r[0] === 'closed') return { ok: false, reason: 'closed', closed: closedOf(r[1]!, r[2], r[3], r[4]) };
    return { ok: false, reason: 'not_found' };
  }

  async expireDue(now: number): Promise<ApprovalRequest[]> {
    const out: ApprovalRequest[] = [];
    for (;;) {
      const batch = await this.r.sigAprExpire(this.prefix, now, this.keepMs, EXPIRE_BATCH);
      for (const j of batch) out.push(JSON.parse(j) as ApprovalRequest);
      if (batch.length < EXPIRE_BATCH) return out;
    }
  }

  async close(): Promise<void> { /* the connection belongs to the node's store */ }
}

function closedOf(o: string, a: string | null | undefined, t: string | null | undefined, b: string | null | undefined): ClosedApproval {
  const c: ClosedApproval = { outcome: o as ApprovalOutcome, at: Number(t ?? 0), agentSub: a ?? '' };
  if (b) c.by = b;
  return c;
}
