/**
 * HTTP side of approvals, each call authenticated by its bearer token
 * (verifyBearer: the IdP's JWT or a service token):
 *   POST /approvals                      agent asks      -> 201 {request}
 *   GET  /approvals/pending              supervisor      -> 200 {requests}
 *   GET  /approvals/<id>                 the asking agent-> 200 {state, grant?, approver?}
 *        (an approval's grant while it is valid: for an agent whose socket missed the decision)
 *   POST /approvals/<id>/decision        supervisor      -> 200 {outcome}
 *   GET  /approvals/jwks.json            anyone          -> the grant key set
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APPROVALS_JWKS_PATH } from '../protocol/index';
import type { VerifyBearer } from '../identity/verify-bearer';
import type { Identity } from '../identity/identity';
import { readBody, sendError, sendJson } from '../http-util';
import { ApprovalBook, Decision, NewApprovalRequest } from './approvals';
import type { GrantSigner } from './grant-signer';

export interface ApprovalHttpDeps {
  book: ApprovalBook;
  signer: GrantSigner;
  verify: VerifyBearer;
  log: (rec: Record<string, unknown>) => void;
}

const STATUS: Record<string, number> = { forbidden: 403, not_found: 404, already_decided: 409, expired: 410, too_many: 429 };

export async function handleApprovals(req: IncomingMessage, res: ServerResponse, path: string, d: ApprovalHttpDeps): Promise<boolean> {
  if (path !== '/approvals' && !path.startsWith('/approvals/')) return false;
  const method = req.method ?? 'GET';
  if (path === APPROVALS_JWKS_PATH) {
    if (method !== 'GET' && method !== 'HEAD') { sendError(res, 405, 'method_not_allowed', 'use GET', { Allow: 'GET' }); return true; }
    res.removeHeader('Cross-Origin-Resource-Policy');
    sendJson(res, 200, d.signer.jwks, { 'Cache-Control': 'public, max-age=300' });
    return true;
  }
  const auth = req.headers.authorization;
  if (!auth || !/^Bearer [^\s]+$/.test(auth)) {
    req.resume();
    sendError(res, 401, 'unauthorized', 'a bearer token is required', { 'WWW-Authenticate': 'Bearer' });
    return true;
  }
  const v = await d.verify(auth.slice(7));
  if (!v.ok) {
    req.resume();
    d.log({ ev: 'approvals_auth_failed', why: v.reason });
    sendError(res, 401, 'unauthorized', v.message, { 'WWW-Authenticate': `Bearer error="invalid_token"` });
    return true;
  }
  try {
    return await route(req, res, path, d, v.identity);
  } catch (err) {
    // the shared store (Redis) unreachable: a typed, retryable answer rather than `internal`
    d.log({ ev: 'approvals_store_error', err: err instanceof Error ? err.message : String(err) });
    if (!res.headersSent) sendError(res, 503, 'unavailable', 'approvals are unavailable for a moment; try again', { 'Retry-After': '2' });
    return true;
  }
}

async function route(req: IncomingMessage, res: ServerResponse, path: string, d: ApprovalHttpDeps, who: Identity): Promise<boolean> {
  const method = req.method ?? 'GET';
  const json = async (): Promise<unknown | undefined> => {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) { req.resume(); sendError(res, 415, 'unsupported_media_type', 'Content-Type must be application/json'); return undefined; }
    const b = await readBody(req, 16 * 1024);
    if (!b.ok) { sendError(res, 413, 'too_large', 'request body too large'); return undefined; }
    try { return JSON.parse(b.body.toString('utf8')); } catch { sendError(res, 400, 'invalid_json', 'body is not JSON'); return undefined; }
  };

  if (path === '/approvals') {
    if (method !== 'POST') { req.resume(); sendError(res, 405, 'method_not_allowed', 'use POST', { Allow: 'POST' }); return true; }
    const body = await json();
    if (body === undefined) return true;
    const p = NewApprovalRequest.safeParse(body);
    if (!p.success) { sendError(res, 400, 'invalid_argument', p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')); return true; }
    const r = await d.book.create(who, p.data);
    if (!r.ok) { sendError(res, STATUS[r.code] ?? 400, r.code, r.message); return true; }
    sendJson(res, 201, { request: r.request });
    return true;
  }
  if (path === '/approvals/pending') {
    req.resume();
    if (method !== 'GET') { sendError(res, 405, 'method_not_allowed', 'use GET', { Allow: 'GET' }); return true; }
    const list = await d.book.pending(who);
    if (!list) { sendError(res, 403, 'forbidden', 'only a supervisor sees approval requests'); return true; }
    sendJson(res, 200, { requests: list });
    return true;
  }
  const m = /^\/approvals\/([A-Za-z0-9_\-.:]{1,128})(\/decision)?$/.exec(path);
  if (!m) { req.resume(); sendError(res, 404, 'not_found', 'not found'); return true; }
  if (!m[2]) {
    req.resume();
    const s = await d.book.status(who, m[1]!);
    if (!s) { sendError(res, 404, 'not_found', 'no such approval request'); return true; }
    sendJson(res, 200, s);
    return true;
  }
  if (method !== 'POST') { req.resume(); sendError(res, 405, 'method_not_allowed', 'use POST', { Allow: 'POST' }); return true; }
  const body = await json();
  if (body === undefined) return true;
  const p = Decision.safeParse(body);
  if (!p.success) { sendError(res, 400, 'invalid_argument', 'expected {"decision": "approve" | "decline"}'); return true; }
  const r = await d.book.decide(who, m[1]!, p.data.decision);
  if (!r.ok) { sendError(res, STATUS[r.code] ?? 400, r.code, r.message); return true; }
  sendJson(res, 200, { outcome: r.outcome });
  return true;
}
