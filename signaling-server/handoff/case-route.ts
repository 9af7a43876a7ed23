/**
 * HTTP: the case that travels with a hand-off. The sending workstation PUTs
 * its case bundle (the checked, content-addressed export: case.json with
 * every event, the evidence by sha256, the manifest) for one hand-off; the
 * agent who accepted it GETs it and imports it, so the receiver sees the
 * timeline, stills, annotation sets, OCR fields and findings, notes and
 * credits without anyone copying files. Card numbers were masked before the
 * evidence was stored, so they stay masked. A bearer (IdP JWT or service
 * token) verified to an Identity with the agent or supervisor role either way;
 * only the hand-off's sender may put and only its receiver (or the named
 * target before answering) may get. Kept in the shared store, so the two
 * agents may be on different nodes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VerifyBearer } from '../identity/verify-bearer';
import type { ResolvedConfig } from '../config/index';
import { readBody, sendError, sendJson } from '../http-util';
import type { SignalingStore } from '../store';

export const HANDOFF_CASE_PATH = /^\/handoff\/([A-Za-z0-9_\-.:]{1,128})\/case$/;
/** Largest case bundle that travels (stills are ~1-3 MB each). */
export const MAX_CASE_BYTES = 48 * 1024 * 1024;
const KEEP_MS = 30 * 60_000;

export async function handleHandoffCase(req: IncomingMessage, res: ServerResponse, id: string, cfg: ResolvedConfig, store: SignalingStore, verify: VerifyBearer | undefined): Promise<void> {
  if (!verify) return sendError(res, 503, 'unavailable', 'the node is starting');
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  const who = m ? await verify(m[1]!) : null;
  if (!who || !who.ok) return sendError(res, 401, 'unauthorized', 'a valid bearer token is required');
  // a technician or other guest role never reads or writes a customer's case
  if (!who.identity.roles.some((r) => r === 'agent' || r === 'supervisor')) return sendError(res, 403, 'forbidden', 'the agent or supervisor role is required');
  const rec = await store.getHandoff(id);
  if (!rec) return sendError(res, 404, 'handoff_unknown', 'no such hand-off');
  const sub = who.identity.sub;
  if (req.method === 'PUT') {
    if (rec.fromAgentId !== sub) return sendError(res, 403, 'forbidden', 'only the sending agent may attach the case');
    const body = await readBody(req, MAX_CASE_BYTES);
    if (!body.ok) return sendError(res, 413, body.reason, `the case bundle is larger than ${MAX_CASE_BYTES} bytes`);
    await store.putHandoffCase(id, body.body, KEEP_MS);
    cfg.log({ ev: 'handoff_case_put', handoffId: id, bytes: body.body.length });
    return sendJson(res, 200, { ok: true, bytes: body.body.length });
  }
  if (req.method === 'GET') {
    const allowed = rec.acceptedBy === sub || ('agentId' in rec.to && rec.to.agentId === sub && rec.state === 'offered');
    if (!allowed) return sendError(res, 403, 'forbidden', 'only the agent who took the hand-off may read its case');
    const bytes = await store.getHandoffCase(id);
    if (!bytes) return sendError(res, 404, 'not_found', 'no case was attached to this hand-off (yet)');
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes.length), 'cache-control': 'no-store' });
    res.end(bytes);
    return;
  }
  return sendError(res, 405, 'method_not_allowed', 'GET or PUT', { allow: 'GET, PUT' });
}
