/**
 * POST /telephony/contact: a PBX / CCaaS tells us "this caller (ANI) is on
 * the line with agent X", and we pop the caller's case on that agent's
 * workstation. See docs/TELEPHONY-WEBHOOK.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { safeEqualSecret } from './auth';
import { readBody, sendError, sendJson } from './http-util';

export const TelephonyContact = z.object({
  ani: z.string().min(1).max(32).regex(/^[0-9+*#()\-. ]+$/, 'ani must be a phone number'),
  agentId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_\-.:]+$/),
  callId: z.string().min(1).max(128).optional(),
  dnis: z.string().min(1).max(32).optional(),
});
export type TelephonyContact = z.infer<typeof TelephonyContact>;

export interface TelephonyDeps {
  secret: string;
  maxBodyBytes: number;
  now: () => number;
  deliver: (agentId: string, pop: { ani: string, callId?: string, receivedAt: number }) => number;
  log: (rec: Record<string, unknown>) => void;
}

export async function handleTelephonyContact(req: IncomingMessage, res: ServerResponse, deps: TelephonyDeps): Promise<void> {
  const auth = req.headers.authorization ?? '';
  const m = /^Bearer (.+)$/i.exec(auth);
  if (!m || !safeEqualSecret(m[1]!.trim(), deps.secret)) {
    req.resume();
    deps.log({ ev: 'telephony_unauthorized' });
    sendError(res, 401, 'unauthorized', 'missing or wrong bearer token', { 'WWW-Authenticate': 'Bearer' });
    return;
  }
  const ctype = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (ctype !== 'application/json') {
    req.resume();
    sendError(res, 415, 'unsupported_media_type', 'send Content-Type: application/json');
    return;
  }
  const body = await readBody(req, deps.maxBodyBytes);
  if (!body.ok) {
    if (body.reason === 'too_large') sendError(res, 413, 'too_large', `body exceeds ${deps.maxBodyBytes} bytes`, { Connection: 'close' });
    else res.destroy();
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(body.body.toString('utf8'));
  } catch {
    sendError(res, 400, 'bad_json', 'body is not valid JSON');
    return;
  }
  const parsed = TelephonyContact.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    sendError(res, 400, 'invalid_body', first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'invalid body');
    return;
  }
  const receivedAt = deps.now();
  const pop: { ani: string, callId?: string, receivedAt: number } = { ani: parsed.data.ani, receivedAt };
  if (parsed.data.callId !== undefined) pop.callId = parsed.data.callId;
  const delivered = deps.deliver(parsed.data.agentId, pop);
  // the ANI is personal data: log only its last digits
  deps.log({ ev: 'screen_pop', agentId: parsed.data.agentId, ani: `…${parsed.data.ani.slice(-2)}`, callId: parsed.data.callId, delivered });
  sendJson(res, 202, { delivered });
}
