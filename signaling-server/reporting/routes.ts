/**
 * The reporting endpoints on the signaling node (docs/KPIS.md lists them):
 *
 *   POST /reporting/v1/events          a workstation's outbox delivers one case event (any signed-in agent, as itself)
 *   GET  /reporting/v1/sign-in         where the reporting page signs in (the embedded provider's issuer and client id; no token)
 *   GET  /reporting/v1/config          the pepper for customer keys (any signed-in agent)
 *   GET  /reporting/v1/inbox           supervisors' verdicts on this desktop's credits, customers' survey answers for this agent
 *   GET  /reporting/v1/kpis            KPIs by day/queue/agent/category (supervisor; an agent only its own)
 *   GET  /reporting/v1/contacts        drill-down to cases (supervisor; an agent only its own)
 *   GET  /reporting/v1/export.csv      the KPI table or the contacts as CSV (supervisor)
 *   GET  /reporting/v1/audit           credits over the audit threshold awaiting review (supervisor)
 *   POST /reporting/v1/audit/review    fine / questioned, with a note (supervisor)
 *   GET  /reporting/v1/board           the live team board (supervisor)
 *   POST /join/<token>/survey          the customer's end-of-call survey (the invite token is the credential)
 *   GET  /supervisor                   the supervisor's and agent's reporting page
 *
 * Roles are checked here, on the server, from the verified Identity only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Identity } from '../identity/identity';
import { hasRole } from '../identity/identity';
import type { Hub } from '../hub/index';
import type { SignalingStore } from '../store';
import { readBody, sendError, sendJson } from '../http-util';
import { hashToken } from '../tokens';
import { isInviteToken } from '../protocol/index';
import type { VerifyBearer } from '../identity/verify-bearer';
import { teamBoard } from './board';
import { toCsv } from './csv';
import type { ReportingStore } from './store';
import { GroupBy, KpiFilter, Verdict, type KpiReport, type KpiSettings } from './types';

export interface ReportingDeps {
  reporting: ReportingStore;
  /** The node's one bearer verifier: the IdP's sign-in JWT or a service token -> Identity. */
  verify: VerifyBearer;
  hub: Hub;
  store: SignalingStore;
  /** The node's KPI settings (config `reporting`); a request may override them. */
  settings: Partial<KpiSettings>;
  now: () => number;
  log: (rec: Record<string, unknown>) => void;
  /** The embedded provider the reporting page signs in with (issuer and its client id); null: none on this node. */
  signIn?: () => { issuer: string, clientId: string } | null;
}

const MAX_EVENT_BODY = 320 * 1024;
const SURVEY_PATH = /^\/join\/([^/]+)\/survey\/?$/;

const Survey = z.object({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(1000).optional() }).strict();
const Review = z.object({ contactId: z.string().min(3).max(240), creditSeq: z.number().int().positive(), verdict: Verdict, note: z.string().trim().max(1000).optional() }).strict();
const Settings = z.object({
  fcrWindowDays: z.coerce.number().int().min(0).max(90).optional(),
  dispatchWindowDays: z.coerce.number().int().min(0).max(90).optional(),
  csatMinN: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** Answers the request when it is one of ours; false otherwise. */
export async function handleReporting(req: IncomingMessage, res: ServerResponse, path: string, deps: ReportingDeps): Promise<boolean> {
  const survey = SURVEY_PATH.exec(path);
  if (survey) { await postSurvey(req, res, survey[1]!, deps); return true; }
  if (!path.startsWith('/reporting/v1/')) return false;
  const route = path.slice('/reporting/v1/'.length);
  const method = req.method ?? 'GET';
  if (route === 'sign-in') {
    req.resume();
    if (method !== 'GET') { sendError(res, 405, 'method_not_allowed', 'use GET', { Allow: 'GET' }); return true; }
    sendJson(res, 200, deps.signIn?.() ?? { issuer: null, clientId: null });
    return true;
  }
  const auth = req.headers.authorization;
  const bearer = typeof auth === 'string' ? /^Bearer\s+(\S{1,8192})$/i.exec(auth.trim()) : null;
  if (!bearer) { req.resume(); sendError(res, 401, 'unauthorized', 'sign in: a bearer token is required', { 'WWW-Authenticate': 'Bearer' }); return true; }
  const verified = await deps.verify(bearer[1]!);
  if (!verified.ok) {
    req.resume();
    deps.log({ ev: 'reporting_auth_failed', why: verified.reason });
    sendError(res, 401, 'unauthorized', verified.message, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    return true;
  }
  const who: Identity = verified.identity;
  const url = new URL(req.url ?? '/', 'http://x');
  const q = Object.fromEntries(url.searchParams);

  const want = (m: string) => {
    if (method === m) return true;
    req.resume();
    sendError(res, 405, 'method_not_allowed', `use ${m}`, { Allow: m });
    return false;
  };
  const supervisorOnly = () => {
    if (hasRole(who, 'supervisor')) return true;
    req.resume();
    sendError(res, 403, 'forbidden', 'this needs the supervisor role');
    return false;
  };

  switch (route) {
    case 'events': {
      if (!want('POST')) return true;
      const body = await readJson(req, res, MAX_EVENT_BODY);
      if (body === undefined) return true;
      const agentId = (body as { agentId?: unknown })?.agentId;
      // an agent delivers its own events only; a supervisor's desktop delivers its own too
      if (agentId !== who.sub) { sendError(res, 403, 'forbidden', 'an event must be delivered by the agent who wrote it'); return true; }
      const r = await deps.reporting.ingest(body as never, deps.now());
      if (!r.ok) { sendError(res, 400, r.code, r.message); return true; }
      sendJson(res, 200, { stored: !r.duplicate, duplicate: r.duplicate });
      return true;
    }
    case 'config': {
      if (!want('GET')) return true;
      sendJson(res, 200, { customerKeyPepper: await deps.reporting.pepper() });
      return true;
    }
    case 'inbox': {
      if (!want('GET')) return true;
      const installId = /^[A-Za-z0-9_\-.]{1,100}$/.test(q.installId ?? '') ? q.installId! : null;
      const reviewsAfter = Math.max(0, Number(q.reviewsAfter) || 0);
      const surveysAfter = Math.max(0, Number(q.surveysAfter) || 0);
      // a desktop reads the verdicts on its own cases: ones whose events this agent delivered
      const reviews = installId ? await deps.reporting.reviewsFor(installId, reviewsAfter) : [];
      const mine = installId ? await deps.reporting.deliveredBy(installId, who.sub) : false;
      sendJson(res, 200, { reviews: mine ? reviews : [], surveys: await deps.reporting.surveysFor(who.sub, surveysAfter) });
      return true;
    }
    case 'kpis':
    case 'contacts':
    case 'export.csv': {
      if (!want('GET')) return true;
      const f = KpiFilter.safeParse(pick(q, ['from', 'to', 'agentId', 'queue', 'category']));
      const s = Settings.safeParse(pick(q, ['fcrWindowDays', 'dispatchWindowDays', 'csatMinN']));
      if (!f.success || !s.success) { sendError(res, 400, 'invalid', 'filter: from and to (YYYY-MM-DD) are required; agentId, queue, category optional'); return true; }
      const filter = f.data;
      if (!hasRole(who, 'supervisor')) {
        // an agent sees its own numbers only, and never the export
        if (route === 'export.csv') { sendError(res, 403, 'forbidden', 'this needs the supervisor role'); return true; }
        if (filter.agentId !== who.sub) { sendError(res, 403, 'forbidden', 'an agent sees its own numbers only (agentId must be yours)'); return true; }
      }
      const settings = { ...deps.settings, ...stripUndefined(s.data) };
      if (route === 'contacts' || (route === 'export.csv' && q.kind === 'contacts')) {
        const rows = await deps.reporting.contacts(filter, { limit: Number(q.limit) || (route === 'export.csv' ? 1000 : 100), offset: Number(q.offset) || 0, ...(settings.fcrWindowDays !== undefined ? { fcrWindowDays: settings.fcrWindowDays } : {}) });
        if (route === 'contacts') { sendJson(res, 200, { contacts: rows }); return true; }
        sendCsv(res, 'contacts.csv', toCsv(['contact', 'agent', 'day', 'category', 'queue', 'outcome', 'first_contact_resolved', 'handle_sec', 'visual', 'csat', 'credits'],
          rows.map((r) => [r.contactId, r.agentId, r.day, r.category, r.queue, r.outcome, r.firstContactResolved ? 1 : 0, r.handleSec, r.visual ? 1 : 0, r.csat, r.credits])));
        return true;
      }
      const groupBy = q.groupBy ? GroupBy.safeParse(q.groupBy) : { success: true as const, data: null };
      if (!groupBy.success) { sendError(res, 400, 'invalid', 'groupBy: day, queue, agent or category'); return true; }
      const report = await deps.reporting.kpis(filter, groupBy.data, settings);
      if (route === 'kpis') { sendJson(res, 200, report); return true; }
      sendCsv(res, 'kpis.csv', kpiCsv(report));
      return true;
    }
    case 'audit': {
      if (!want('GET') || !supervisorOnly()) return true;
      sendJson(res, 200, { items: await deps.reporting.auditQueue({ includeReviewed: q.includeReviewed === '1' }) });
      return true;
    }
    case 'audit/review': {
      if (!want('POST') || !supervisorOnly()) return true;
      const body = await readJson(req, res, 8 * 1024);
      if (body === undefined) return true;
      const r = Review.safeParse(body);
      if (!r.success) { sendError(res, 400, 'invalid', r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')); return true; }
      const out = await deps.reporting.review(r.data.contactId, r.data.creditSeq, r.data.verdict, r.data.note || null, who.sub, deps.now());
      if (!out.ok) { sendError(res, out.code === 'not_found' ? 404 : 409, out.code, reviewMessage(out.code)); return true; }
      deps.log({ ev: 'credit_reviewed', contactId: r.data.contactId, creditSeq: r.data.creditSeq, verdict: r.data.verdict, reviewer: who.sub });
      sendJson(res, 200, { review: out.review });
      return true;
    }
    case 'board': {
      if (!want('GET') || !supervisorOnly()) return true;
      sendJson(res, 200, { now: deps.now(), agents: await teamBoard(deps.hub, deps.store) });
      return true;
    }
    case 'whoami': {
      if (!want('GET')) return true;
      sendJson(res, 200, publicIdentity(who));
      return true;
    }
    default:
      req.resume();
      sendError(res, 404, 'not_found', 'not found');
      return true;
  }
}

async function postSurvey(req: IncomingMessage, res: ServerResponse, token: string, deps: ReportingDeps): Promise<void> {
  if (req.method !== 'POST') { req.resume(); sendError(res, 405, 'method_not_allowed', 'use POST', { Allow: 'POST' }); return; }
  const body = await readJson(req, res, 4 * 1024);
  if (body === undefined) return;
  const s = Survey.safeParse(body);
  if (!s.success) { sendError(res, 400, 'invalid', 'score: a whole number from 1 to 5; comment: up to 1000 characters'); return; }
  const invite = isInviteToken(token) ? await deps.store.getInvite(hashToken(token)) : undefined;
  // only a customer who actually joined with this link may answer, once per call
  if (!invite || invite.usedAt === undefined || invite.role !== 'customer') { sendError(res, 404, 'not_found', 'no call to rate with this link'); return; }
  const r = await deps.reporting.putSurvey({ roomId: invite.roomId, agentId: invite.agentId, score: s.data.score, comment: s.data.comment || null, at: deps.now() });
  if (!r.ok) { sendError(res, 409, r.code, 'this call was already rated'); return; }
  sendJson(res, 200, { ok: true });
}

async function readJson(req: IncomingMessage, res: ServerResponse, max: number): Promise<unknown> {
  const ct = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(ct)) { req.resume(); sendError(res, 415, 'unsupported_media_type', 'send application/json'); return undefined; }
  const b = await readBody(req, max);
  if (!b.ok) { sendError(res, b.reason === 'too_large' ? 413 : 400, b.reason, b.reason === 'too_large' ? `body over ${max} bytes` : 'request aborted'); return undefined; }
  try {
    return JSON.parse(b.body.toString('utf8'));
  } catch {
    sendError(res, 400, 'invalid', 'body is not JSON');
    return undefined;
  }
}

function sendCsv(res: ServerResponse, name: string, text: string): void {
  res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function kpiCsv(r: KpiReport): string {
  const rows = [...r.rows, r.total];
  return toCsv(
    [r.groupBy ?? 'group', 'contacts', 'closed', 'fcr_resolved_first', 'fcr_rate', 'aht_segments', 'aht_avg_sec', 'csat_n', 'csat_top_two_rate', 'csat_response_rate', 'dispatch_candidates', 'dispatches_avoided', 'visual_sessions', 'visual_share', 'no_frame', 'credits', 'credits_audited', 'credits_questioned'],
    rows.map((x) => [x.key, x.contacts, x.closed, x.fcr.resolvedFirst, x.fcr.rate, x.aht.segments, x.aht.avgSec, x.csat.n, x.csat.rate, x.csat.responseRate, x.dispatches.candidates, x.dispatches.avoided, x.visual.sessions, x.visual.share, x.visual.noFrame, x.credits.count, x.credits.audited, x.credits.questioned]),
  );
}

function reviewMessage(code: 'not_found' | 'not_audited' | 'already_reviewed'): string {
  return code === 'not_found' ? 'no such credit' : code === 'not_audited' ? 'this credit is under the audit threshold' : 'this credit was already reviewed';
}

function pick(q: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => q[k] !== undefined && q[k] !== '').map((k) => [k, q[k]!]));
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

function publicIdentity(who: Identity) {
  return { sub: who.sub, name: who.name ?? null, roles: who.roles };
}
