/**
 * Lua scripts: every decision that reads and writes shared state runs inside
 * Redis as one script, so it is atomic across nodes (two customers racing
 * for one invite on two nodes get exactly one seat). Rooms are stored as one
 * small JSON document (at most three seats); a seat's context packet is kept
 * as an opaque JSON string so cjson never re-encodes customer data.
 *
 * Keys are derived from ARGV prefix inside the scripts, so this targets a
 * single Redis (or a Sentinel-managed primary), not Redis Cluster.
 */

const common = `
local P = ARGV[1]
local function getroom(id)
  local raw = redis.call('GET', P .. 'room:' .. id)
  if not raw then return nil end
  local r = cjson.decode(raw)
  if type(r.seats) ~= 'table' then r.seats = {} end
  return r
end
local function anyonline(room)
  for _, s in ipairs(room.seats) do if s.online then return true end end
  return false
end
local function saveroom(room, now)
  if anyonline(room) then
    room.emptySince = nil
    redis.call('ZREM', P .. 'empty', room.roomId)
  else
    if room.emptySince == nil then room.emptySince = now end
    redis.call('ZADD', P .. 'empty', room.emptySince, room.roomId)
  end
  local raw = cjson.encode(room)
  redis.call('SET', P .. 'room:' .. room.roomId, raw)
  return raw
end
local function findseat(room, memberId)
  for i, s in ipairs(room.seats) do if s.memberId == memberId then return i, s end end
  return nil, nil
end
`;

/** ARGV: prefix, roomJSON, now */
export const CREATE_ROOM = common + `
local room = cjson.decode(ARGV[2])
if type(room.seats) ~= 'table' then room.seats = {} end
local now = tonumber(ARGV[3])
local raw = saveroom(room, now)
redis.call('SADD', P .. 'rooms', room.roomId)
redis.call('SET', P .. 'agentroom:' .. room.agentId, room.roomId)
for _, s in ipairs(room.seats) do
  if s.online and s.node then redis.call('SADD', P .. 'nodeseats:' .. s.node, room.roomId .. '|' .. s.memberId) end
end
return raw
`;

/** ARGV: prefix, inviteHash, now, seatJSON, maxMembers, nodeId -> JSON {ok, room, invite, replaced} | {ok=false, reason} */
export const REDEEM = common + `
local ikey = P .. 'inv:' .. ARGV[2]
local now = tonumber(ARGV[3])
local raw = redis.call('GET', ikey)
if not raw then return cjson.encode({ ok = false, reason = 'invite_unknown' }) end
local inv = cjson.decode(raw)
if inv.usedAt ~= nil then return cjson.encode({ ok = false, reason = 'invite_used' }) end
if inv.revoked or now >= inv.expiresAt then return cjson.encode({ ok = false, reason = 'invite_expired' }) end
local room = getroom(inv.roomId)
if not room then return cjson.encode({ ok = false, reason = 'invite_expired' }) end
local replacedIdx, replaced = nil, nil
for i, s in ipairs(room.seats) do
  if s.role == inv.role then
    if s.online then return cjson.encode({ ok = false, reason = 'room_full' }) end
    replacedIdx, replaced = i, s
  end
end
local after = #room.seats + 1
if replaced then after = after - 1 end
if after > tonumber(ARGV[5]) then return cjson.encode({ ok = false, reason = 'room_full' }) end
if replaced then
  table.remove(room.seats, replacedIdx)
  if replaced.resumeHash then redis.call('DEL', P .. 'resume:' .. replaced.resumeHash) end
end
inv.usedAt = now
redis.call('SET', ikey, cjson.encode(inv), 'KEEPTTL')
local seat = cjson.decode(ARGV[4])
seat.role = inv.role
-- a technician's name comes from the agent's invite, never from the guest
if type(inv.name) == 'string' then seat.name = inv.name end
seat.node = ARGV[6]
table.insert(room.seats, seat)
saveroom(room, now)
if seat.resumeHash then
  redis.call('SET', P .. 'resume:' .. seat.resumeHash, cjson.encode({ roomId = room.roomId, memberId = seat.memberId }))
end
if seat.online then redis.call('SADD', P .. 'nodeseats:' .. ARGV[6], room.roomId .. '|' .. seat.memberId) end
return cjson.encode({ ok = true, room = room, invite = inv, replaced = replaced })
`;

/** ARGV: prefix, roomId, memberId, online(0|1), now, contextString|'' , nodeId -> room JSON or nil */
export const SET_ONLINE = common + `
local room = getroom(ARGV[2])
if not room then return nil end
local i, seat = findseat(room, ARGV[3])
if not seat then return nil end
local online = ARGV[4] == '1'
local member = room.roomId .. '|' .. seat.memberId
if seat.node then redis.call('SREM', P .. 'nodeseats:' .. seat.node, member) end
seat.online = online
if online then
  seat.node = ARGV[7]
  redis.call('SADD', P .. 'nodeseats:' .. ARGV[7], member)
end
if ARGV[6] ~= '' then seat.ctx = ARGV[6] end
return saveroom(room, tonumber(ARGV[5]))
`;

/**
 * Mark offline only if the seat is still held by that (dead) node: a seat
 * that already resumed on another node must not be knocked offline.
 * ARGV: prefix, roomId, memberId, deadNode, now -> room JSON or nil
 */
export const REAP_SEAT = common + `
local room = getroom(ARGV[2])
if not room then return nil end
local i, seat = findseat(room, ARGV[3])
if not seat or not seat.online or seat.node ~= ARGV[4] then return nil end
seat.online = false
return saveroom(room, tonumber(ARGV[5]))
`;

/** ARGV: prefix, roomId, memberId, now -> room JSON or nil */
export const REMOVE_SEAT = common + `
local room = getroom(ARGV[2])
if not room then return nil end
local i, seat = findseat(room, ARGV[3])
if seat then
  if seat.resumeHash then redis.call('DEL', P .. 'resume:' .. seat.resumeHash) end
  if seat.node then redis.call('SREM', P .. 'nodeseats:' .. seat.node, room.roomId .. '|' .. seat.memberId) end
  table.remove(room.seats, i)
end
return saveroom(room, tonumber(ARGV[4]))
`;

/**
 * End a room: delete it, revoke its unused invites, forget every resume token.
 * ARGV: prefix, roomId, olderThan ('' = unconditionally; else only if empty since <= olderThan)
 */
export const END_ROOM = common + `
local room = getroom(ARGV[2])
if not room then
  redis.call('ZREM', P .. 'empty', ARGV[2])
  redis.call('SREM', P .. 'rooms', ARGV[2])
  return nil
end
if ARGV[3] ~= '' then
  if room.emptySince == nil or room.emptySince > tonumber(ARGV[3]) then return nil end
end
local raw = cjson.encode(room)
redis.call('DEL', P .. 'room:' .. room.roomId)
redis.call('ZREM', P .. 'empty', room.roomId)
redis.call('SREM', P .. 'rooms', room.roomId)
if redis.call('GET', P .. 'agentroom:' .. room.agentId) == room.roomId then redis.call('DEL', P .. 'agentroom:' .. room.agentId) end
for _, s in ipairs(room.seats) do
  if s.resumeHash then redis.call('DEL', P .. 'resume:' .. s.resumeHash) end
  if s.node then redis.call('SREM', P .. 'nodeseats:' .. s.node, room.roomId .. '|' .. s.memberId) end
end
local rik = P .. 'roominv:' .. room.roomId
for _, h in ipairs(redis.call('SMEMBERS', rik)) do
  local ik = P .. 'inv:' .. h
  local iraw = redis.call('GET', ik)
  if iraw then
    local inv = cjson.decode(iraw)
    if inv.usedAt == nil then
      inv.revoked = true
      redis.call('SET', ik, cjson.encode(inv), 'KEEPTTL')
    end
  end
end
redis.call('DEL', rik)
return raw
`;


/** INCR with expiry armed on first increment. KEYS[1]; ARGV: ttlSec */
/** Give an attempt back without creating the key (a DECR on an expired key would leave -1 with no expiry). */
export const DECR_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
return 0
`;

export const INCR_WINDOW = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1])) end
return n
`;

/**
 * Short code -> fresh token: mark the original invite used and store a copy
 * under the new hash, atomically. ARGV: prefix, oldHash, newHash, now
 */
export const REISSUE = common + `
local okey = P .. 'inv:' .. ARGV[2]
local now = tonumber(ARGV[4])
local raw = redis.call('GET', okey)
if not raw then return cjson.encode({ ok = false, reason = 'invite_unknown' }) end
local inv = cjson.decode(raw)
if inv.usedAt ~= nil then return cjson.encode({ ok = false, reason = 'invite_used' }) end
if inv.revoked or now >= inv.expiresAt then return cjson.encode({ ok = false, reason = 'invite_expired' }) end
if redis.call('EXISTS', P .. 'room:' .. inv.roomId) == 0 then return cjson.encode({ ok = false, reason = 'invite_expired' }) end
local ttl = redis.call('PTTL', okey)
inv.usedAt = now
redis.call('SET', okey, cjson.encode(inv), 'KEEPTTL')
inv.usedAt = nil
inv.hash = ARGV[3]
local nraw = cjson.encode(inv)
if ttl and ttl > 0 then redis.call('SET', P .. 'inv:' .. ARGV[3], nraw, 'PX', ttl) else redis.call('SET', P .. 'inv:' .. ARGV[3], nraw) end
redis.call('SADD', P .. 'roominv:' .. inv.roomId, ARGV[3])
return cjson.encode({ ok = true, invite = inv })
`;

/**
 * Hand-offs (issue 13). Add an agent seat if the room exists and has room.
 * ARGV: prefix, roomId, seatJSON, maxSeats, now, nodeId -> room JSON or nil
 */
export const ADD_AGENT_SEAT = common + `
local room = getroom(ARGV[2])
if not room then return nil end
local seat = cjson.decode(ARGV[3])
local i = findseat(room, seat.memberId)
if i then table.remove(room.seats, i) end
if #room.seats >= tonumber(ARGV[4]) then return nil end
seat.node = ARGV[6]
table.insert(room.seats, seat)
if seat.online then redis.call('SADD', P .. 'nodeseats:' .. ARGV[6], room.roomId .. '|' .. seat.memberId) end
return saveroom(room, tonumber(ARGV[5]))
`;

/**
 * Hand the room to another agent: owner index moves, the leaving seat goes.
 * ARGV: prefix, roomId, toAgentId, leavingMemberId|'', now -> room JSON or nil
 */
export const HAND_ROOM = common + `
local room = getroom(ARGV[2])
if not room then return nil end
if redis.call('GET', P .. 'agentroom:' .. room.agentId) == room.roomId then redis.call('DEL', P .. 'agentroom:' .. room.agentId) end
room.agentId = ARGV[3]
redis.call('SET', P .. 'agentroom:' .. ARGV[3], room.roomId)
if ARGV[4] ~= '' then
  local i, seat = findseat(room, ARGV[4])
  if seat then
    if seat.node then redis.call('SREM', P .. 'nodeseats:' .. seat.node, room.roomId .. '|' .. seat.memberId) end
    table.remove(room.seats, i)
  end
end
return saveroom(room, tonumber(ARGV[5]))
`;

/**
 * Compare-and-set on a hand-off record: apply the patch only if its state is
 * one of the listed ones. ARGV: prefix, id, fromStatesCSV, patchJSON -> {ok, rec}
 */
export const UPDATE_HANDOFF = `
local P = ARGV[1]
local key = P .. 'handoff:' .. ARGV[2]
local raw = redis.call('GET', key)
if not raw then return cjson.encode({ ok = false }) end
local rec = cjson.decode(raw)
local allowed = false
for st in string.gmatch(ARGV[3], '[^,]+') do if st == rec.state then allowed = true end end
if not allowed then return cjson.encode({ ok = false, rec = rec }) end
for k, v in pairs(cjson.decode(ARGV[4])) do rec[k] = v end
redis.call('SET', key, cjson.encode(rec), 'KEEPTTL')
return cjson.encode({ ok = true, rec = rec })
`;
