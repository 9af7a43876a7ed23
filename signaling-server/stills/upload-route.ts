/**
 * HTTP: a customer's still when the call's data channel cannot open.
 *
 *   POST /stills               customer (Bearer <resume token>): {sha256, bytes, mime, width, height, source}
 *                              -> 201 {id, received: 0, bytes, done: false}
 *   PUT  /stills/<id>?offset=N customer: the bytes from N; N must be what the node holds
 *                              -> 200 {id, received, bytes, done}; 409 offset_mismatch {received}
 *   GET  /stills/<id>/status   customer: {id, received, bytes, done} (resume after a drop)
 *   GET  /stills/<id>          an agent of the room (Bearer <IdP JWT or service token>): the bytes
 *
 * The last chunk makes the node check the whole against the sha256 the customer
 * announced; only then are the room's agents told (`still_uploaded` on their
 * sockets). A customer reaches only its own room's uploads, an agent only its
 * rooms'; everything is bounded (size, chunk, open uploads per seat, lifetime).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VerifyBearer } from '../identity/verify-bearer';
import type { ResolvedConfig } from '../config/index';
import { readBody, sendError, sendJson } from '../http-util';
import type { Hub } from '../hub/index';
import type { RoomRecord, SeatRecord, SignalingStore } from '../store';
import { hashToken, newBearerToken } from '../tokens';
import { MAX_UPLOAD_CHUNK_BYTES, STILL_UPLOAD_ID, STILL_UPLOAD_PATH, StillUploadMeta, type StillUploadStatus } from '../protocol/still-upload';
import type { StillUploads, UploadRecord } from './upload-store';

/** How long an upload waits for its last chunk and then for the agent. */
export const UPLOAD_TTL_MS = 15 * 60_000;
/** Uploads a customer's seat may have open at once. */
export const MAX_OPEN_PER_SEAT = 3;

export interface StillUploadDeps {
  cfg: ResolvedConfig;
  store: SignalingStore;
  uploads: StillUploads;
  hub: Hub;
  verify: VerifyBearer | undefined;
}

const PATH = new RegExp(`^${STILL_UPLOAD_PATH}(?:/([^/]+)(/status)?)?$`);

/** Is this request ours? (the router calls handleStillUpload when it is). */
export function isStillUploadPath(path: string): boolean { return PATH.test(path); }

/** The agent's page is on another origin (the workstation): its GET is a CORS request with a bearer, no cookies. */
const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'x-still-sha256, x-still-width, x-still-height, x-still-source' };

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}

async function customerSeat(req: IncomingMessage, store: SignalingStore): Promise<{ room: RoomRecord, seat: SeatRecord } | null> {
  const token = bearer(req);
  if (!token) return null;
  const found = await store.findSeatByResume(hashToken(token));
  return found && found.seat.role === 'customer' ? found : null;
}

const statusOf = (id: string, received: number, bytes: number): StillUploadStatus => ({ id, received, bytes, done: received === bytes });

export async function handleStillUpload(req: IncomingMessage, res: ServerResponse, path: string, deps: StillUploadDeps): Promise<void> {
  const m = PATH.exec(path)!;
  const id = m[1];
  const isStatus = !!m[2];
  const method = req.method ?? 'GET';
  if (id !== undefined && !STILL_UPLOAD_ID.test(id)) return sendError(res, 404, 'not_found', 'no such upload');

  if (method === 'OPTIONS') {
    res.writeHead(204, { ...CORS, 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': 'authorization', 'Access-Control-Max-Age': '600' });
    res.end();
    return;
  }

  // The agent fetches a finished upload.
  if (method === 'GET' && id && !isStatus) return agentGet(req, res, id, deps);

  const found = await customerSeat(req, deps.store);
  if (!found) return sendError(res, 401, 'unauthorized', 'the seat token of a customer in a session is required');
  const { room, seat } = found;

  if (method === 'POST' && id === undefined) {
    const body = await readBody(req, 2048);
    if (!body.ok) return sendError(res, 413, 'too_large', 'the upload description is too large');
    let meta: StillUploadMeta;
    try {
      const parsed = StillUploadMeta.safeParse(JSON.parse(body.body.toString('utf8')));
      if (!parsed.success) return sendError(res, 400, 'bad_request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      meta = parsed.data;
    } catch {
      return sendError(res, 400, 'bad_request', 'the upload description is not JSON');
    }
    if ((await deps.uploads.openFor(room.roomId, seat.memberId)) >= MAX_OPEN_PER_SEAT) return sendError(res, 429, 'too_many', `at most ${MAX_OPEN_PER_SEAT} uploads at a time`);
    const rec: UploadRecord = { ...meta, id: newBearerToken().slice(0, 32), roomId: room.roomId, memberId: seat.memberId, createdAt: deps.cfg.now() };
    if (!(await deps.uploads.create(rec, UPLOAD_TTL_MS))) return sendError(res, 503, 'unavailable', 'the node holds too many uploads now; try again shortly');
    deps.cfg.log({ ev: 'still_upload_created', roomId: room.roomId, memberId: seat.memberId, bytes: rec.bytes });
    return sendJson(res, 201, statusOf(rec.id, 0, rec.bytes));
  }

  if (!id) return sendError(res, 405, 'method_not_allowed', 'POST /stills, PUT or GET /stills/<id>', { allow: 'POST' });
  const st = await deps.uploads.status(id);
  // Another seat's upload is "not found" for this one: it learns nothing of other sessions.
  if (!st || st.rec.roomId !== room.roomId || st.rec.memberId !== seat.memberId) return sendError(res, 404, 'not_found', 'no such upload');

  if (method === 'GET' && isStatus) return sendJson(res, 200, statusOf(id, st.received, st.rec.bytes));

  if (method === 'PUT' && !isStatus) {
    const offset = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('offset'));
    if (!Number.isSafeInteger(offset) || offset < 0) return sendError(res, 400, 'bad_request', 'offset must be a whole number of bytes');
    const body = await readBody(req, MAX_UPLOAD_CHUNK_BYTES);
    if (!body.ok) return sendError(res, 413, 'too_large', `a chunk is at most ${MAX_UPLOAD_CHUNK_BYTES} bytes`);
    if (body.body.length === 0) return sendError(res, 400, 'bad_request', 'an empty chunk');
    const r = await deps.uploads.append(id, offset, body.body);
    if (!r.ok) {
      if (r.reason === 'offset_mismatch') return sendJson(res, 409, { error: { code: 'offset_mismatch', message: `the node holds ${r.received} bytes` }, received: r.received });
      if (r.reason === 'too_large') return sendError(res, 413, 'too_large', 'the chunk goes past the announced size');
      return sendError(res, 404, 'not_found', 'no such upload');
    }
    if (r.received < st.rec.bytes) return sendJson(res, 200, statusOf(id, r.received, st.rec.bytes));
    const whole = await deps.uploads.read(id);
    const sha = whole ? createHash('sha256').update(whole.bytes).digest('hex') : '';
    if (!whole || sha !== st.rec.sha256) {
      await deps.uploads.remove(id);
      return sendError(res, 422, 'hash_mismatch', 'the still does not match its sha256; it was changed or damaged on the way');
    }
    const { id: uploadId, roomId: _r, createdAt: _c, ...meta } = st.rec;
    const msg = { type: 'still_uploaded' as const, uploadId, ...meta };
    for (const agentId of agentsOf(await deps.store.getRoom(room.roomId) ?? room)) deps.hub.toAgent(agentId, msg);
    deps.cfg.log({ ev: 'still_uploaded', roomId: room.roomId, memberId: seat.memberId, bytes: st.rec.bytes });
    return sendJson(res, 200, statusOf(id, r.received, st.rec.bytes));
  }
  return sendError(res, 405, 'method_not_allowed', 'PUT /stills/<id>?offset=N or GET /stills/<id>/status', { allow: 'PUT, GET' });
}

/** The room's owner and any agent seated in it (a consult or a warm transfer in progress). */
function agentsOf(room: RoomRecord): string[] {
  return [...new Set([room.agentId, ...room.seats.flatMap((s) => (s.role === 'agent' && s.agentId ? [s.agentId] : []))])];
}

async function agentGet(req: IncomingMessage, res: ServerResponse, id: string, deps: StillUploadDeps): Promise<void> {
  if (!deps.verify) return sendError(res, 503, 'unavailable', 'the node is starting', CORS);
  const token = bearer(req);
  const who = token ? await deps.verify(token) : null;
  if (!who || !who.ok) return sendError(res, 401, 'unauthorized', 'a valid bearer token is required', CORS);
  if (!who.identity.roles.includes('agent')) return sendError(res, 403, 'forbidden', 'the agent role is required', CORS);
  const up = await deps.uploads.read(id);
  const room = up ? await deps.store.getRoom(up.rec.roomId) : undefined;
  // Not the agent's room: the same answer as no upload at all.
  if (!up || !room || !agentsOf(room).includes(who.identity.sub) || up.bytes.length !== up.rec.bytes) return sendError(res, 404, 'not_found', 'no such upload', CORS);
  res.writeHead(200, {
    ...CORS,
    'Content-Type': up.rec.mime, 'Content-Length': String(up.bytes.length), 'Cache-Control': 'no-store',
    'x-still-sha256': up.rec.sha256, 'x-still-width': String(up.rec.width), 'x-still-height': String(up.rec.height), 'x-still-source': up.rec.source,
  });
  res.end(up.bytes);
}
