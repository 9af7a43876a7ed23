/** The HTTP side of the one port: customer page, invite status, assets, health, telephony webhook. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedConfig } from './config/index';
import { parseInvitePath, type InviteState, type InviteStatus } from './protocol/index';
import type { Hub } from './hub/index';
import { getInviteRole, getInviteState } from './invites';
import type { SignalingStore } from './store';
import { customerPageCsp, setSecurityHeaders, supervisorPageCsp } from './security-headers';
import { serveAsset, serveCustomerPage } from './static-files';
import { pickLocale } from './consent-page';
import { sendError, sendJson } from './http-util';
import { handleTelephonyContact } from './telephony';
import { handleCodePage } from './code-page';
import { METRICS_CONTENT_TYPE } from './metrics';
import { safeEqualSecret } from './auth';
import { TrustedProxies } from './config/proxy';
import type { EmbeddedIdp } from './idp/provider';
import { handleApprovals, type ApprovalHttpDeps } from './approvals/http';
import type { VerifyBearer } from './identity/verify-bearer';
import { handleReporting, type ReportingDeps } from './reporting/routes';
import { serveSupervisorPage } from './reporting/page';


import { HANDOFF_CASE_PATH, handleHandoffCase } from './handoff/case-route';
import { handleStillUpload, isStillUploadPath } from './stills/upload-route';
import type { StillUploads } from './stills/upload-store';

export interface HttpDeps {
  cfg: ResolvedConfig;
  store: SignalingStore;
  hub: Hub;
  publicUrl: () => string;
  startedAt: number;
  /** The client's address (trusted forwarded headers applied). */
  clientAddress?: (req: IncomingMessage) => string;
  /**
   * Parts made once the node listens: the embedded IdP (/oidc), approvals
   * (/approvals), and `verify`, the one bearer verifier (IdP JWT or service
   * token -> Identity) every authenticated HTTP route uses.
   */
  late?: { idp?: EmbeddedIdp, approvals?: ApprovalHttpDeps, verify?: VerifyBearer };
  /** The reporting endpoints and the supervisor page, when reporting is on. */
  reporting?: ReportingDeps;
  /** Customers' stills sent over HTTP when the data channel cannot open. */
  uploads?: StillUploads;
}

export function createRequestHandler(deps: HttpDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    route(req, res, deps).catch((err: unknown) => {
      deps.cfg.log({ ev: 'http_error', err: err instanceof Error ? err.stack ?? err.message : String(err) });
      if (!res.headersSent) sendError(res, 500, 'internal', 'internal server error');
      else res.destroy();
    });
  };
}

async function route(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const { cfg } = deps;
  const publicUrl = deps.publicUrl();
  setSecurityHeaders(res, publicUrl);
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?')[0]!;
  const head = method === 'HEAD';
  const isGet = method === 'GET' || head;

  if (deps.uploads && isStillUploadPath(path)) {
    await handleStillUpload(req, res, path, { cfg, store: deps.store, uploads: deps.uploads, hub: deps.hub, verify: deps.late?.verify });
    return;
  }
  const handoffCase = HANDOFF_CASE_PATH.exec(path);
  if (handoffCase) return handleHandoffCase(req, res, handoffCase[1]!, cfg, deps.store, deps.late?.verify);

  if (path === '/healthz') {
    if (!isGet) return methodNotAllowed(res, 'GET, HEAD');
    const counts = await deps.store.counts();
    const s = deps.hub.stats();
    const storeOk = deps.store.ping ? await deps.store.ping() : true;
    // 503 while draining or cut off from Redis: the load balancer sends new clients elsewhere
    const ok = storeOk && !deps.hub.draining;
    sendJson(res, ok ? 200 : 503, { ok, draining: deps.hub.draining, store: storeOk ? 'ok' : 'unreachable', uptimeSec: Math.round((cfg.now() - deps.startedAt) / 1000), sockets: s.sockets, rooms: counts.rooms });
    return;
  }

  if (path === '/metrics') {
    if (!isGet) return methodNotAllowed(res, 'GET, HEAD');
    const denied = metricsDenied(req, cfg.metricsAccess, deps.clientAddress ? deps.clientAddress(req) : (req.socket.remoteAddress ?? ''));
    if (denied) { sendJson(res, denied, { error: denied === 401 ? 'unauthorized' : 'forbidden' }); return; }
    const text = cfg.metrics.registry.render();
    res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
    res.end(head ? undefined : text);
    return;
  }

  if (path === '/code') {
    await handleCodePage(req, res, { cfg, store: deps.store, publicUrl, address: deps.clientAddress ? deps.clientAddress(req) : (req.socket.remoteAddress ?? 'unknown') });
    return;
  }

  if (deps.reporting) {
    if (path === '/supervisor' || path === '/supervisor/') {
      if (!isGet) return methodNotAllowed(res, 'GET, HEAD');
      setSecurityHeaders(res, publicUrl, supervisorPageCsp());
      await serveSupervisorPage(res, cfg.staticDir, head);
      return;
    }
    if (await handleReporting(req, res, path, deps.reporting)) return;
  }

  const join = parseInvitePath(path);
  if (join) {
    if (!isGet) return methodNotAllowed(res, 'GET, HEAD');
    const stateOf = (): Promise<InviteState> => (join.wellFormed ? getInviteState(deps.store, join.token, cfg.now()) : Promise.resolve('unknown'));
    if (join.resource === 'status') {
      const body: InviteStatus = { state: await stateOf() };
      sendJson(res, 200, body);
      return;
    }
    // Serving the page never consumes the invite: link previewers fetch it too. The page
    // carries the invite's state, which saves it the status round trip before consent; if the
    // store cannot answer now, the page asks /status itself.
    const state = await stateOf().catch(() => undefined);
    const role = join.wellFormed ? await getInviteRole(deps.store, join.token).catch(() => undefined) : undefined;
    setSecurityHeaders(res, publicUrl, customerPageCsp(publicUrl));
    await serveCustomerPage(res, cfg.staticDir, head, state, pickLocale(req.headers['accept-language']), role === 'technician' ? 'technician' : 'customer');
    return;
  }

  if (path.startsWith('/assets/')) {
    if (!isGet) return methodNotAllowed(res, 'GET, HEAD');
    await serveAsset(res, cfg.staticDir, path.slice('/assets/'.length), head);
    return;
  }

  if (path === '/favicon.ico' && isGet) {
    // browsers ask for it on every page; answer quietly instead of a 404 in the console
    res.writeHead(204, { 'Cache-Control': 'public, max-age=86400' });
    res.end();
    return;
  }

  if (path === '/telephony/contact' && cfg.telephonySecret) {
    if (method !== 'POST') return methodNotAllowed(res, 'POST');
    await handleTelephonyContact(req, res, {
      secret: cfg.telephonySecret,
      maxBodyBytes: cfg.limits.webhookMaxBodyBytes,
      now: cfg.now,
      deliver: (agentId, pop) => deps.hub.screenPop(agentId, pop),
      log: cfg.log,
    });
    return;
  }

  if (deps.late?.idp && (path === '/oidc' || path.startsWith('/oidc/') || path.startsWith('/.well-known/'))) {
    // discovery is also asked for at the host root by some clients (RFC 8414 style); point them at ours
    if (path.startsWith('/.well-known/')) {
      req.resume();
      res.writeHead(308, { Location: `${deps.late.idp.issuer}${path}` });
      res.end();
      return;
    }
    if (await deps.late.idp.handle(req, res, deps.clientAddress ? deps.clientAddress(req) : (req.socket.remoteAddress ?? 'unknown'))) return;
  }

  if (deps.late?.approvals && await handleApprovals(req, res, path, deps.late.approvals)) return;

  req.resume();
  sendError(res, 404, 'not_found', 'not found');
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendError(res, 405, 'method_not_allowed', `use ${allow}`, { Allow: allow });
}

const allowLists = new WeakMap<string[], TrustedProxies>();

/** 401 without the configured bearer token, 403 from an address off the allow-list, else null. */
function metricsDenied(req: IncomingMessage, access: { token?: string, allow?: string[] }, address: string): 401 | 403 | null {
  if (access.allow && access.allow.length > 0) {
    let list = allowLists.get(access.allow);
    if (!list) { list = new TrustedProxies(access.allow); allowLists.set(access.allow, list); }
    if (!list.has(address)) return 403;
  }
  if (access.token !== undefined) {
    const h = req.headers.authorization ?? '';
    const given = h.startsWith('Bearer ') ? h.slice(7) : '';
    if (!given || !safeEqualSecret(given, access.token)) return 401;
  }
  return null;
}
