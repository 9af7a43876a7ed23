/**
 * The short-code page: a caller who cannot open a link types the numeric
 * code the agent reads out. GET /code shows a form (plain HTML, no script);
 * POST /code checks the attempt limits, takes the code (single use), swaps
 * the invite for a fresh token and redirects to the ordinary customer page.
 * Wrong codes count against the address and the global budget
 * (limits/codes.ts); a right code whose invite is used or expired does not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedConfig } from './config/index';
import { readBody } from './http-util';
import { inviteUrl } from './invites';
import type { SignalingStore } from './store';
import { setSecurityHeaders } from './security-headers';
import { hashToken, newBearerToken } from './tokens';

type Lang = 'en' | 'ja';
type Key = 'title' | 'lead' | 'label' | 'submit' | 'wrong' | 'malformed' | 'locked' | 'paused' | 'used' | 'expired';

const TEXT: Record<Lang, Record<Key, string>> = {
  en: {
    title: 'Join a video assist session',
    lead: 'Enter the code your agent gave you.',
    label: 'Session code',
    submit: 'Join',
    wrong: 'That code is not valid. Check the digits and try again.',
    malformed: 'Enter the digits of the code only.',
    locked: 'Too many wrong codes from this network. Try again later or ask your agent for a link.',
    paused: 'Code entry is paused for a while. Ask your agent to send you the link instead.',
    used: 'This session code has already been used. Ask your agent for a new one.',
    expired: 'This session code has expired. Ask your agent for a new one.',
  },
  ja: {
    title: 'ビデオサポートに参加',
    lead: '担当者からお伝えしたコードを入力してください。',
    label: 'セッションコード',
    submit: '参加する',
    wrong: 'コードが正しくありません。数字を確認してもう一度入力してください。',
    malformed: 'コードの数字だけを入力してください。',
    locked: 'このネットワークからの誤ったコードが多すぎます。しばらくしてからお試しいただくか、担当者にリンクをご依頼ください。',
    paused: 'コード入力は一時的に停止しています。担当者にリンクの送付をご依頼ください。',
    used: 'このセッションコードは使用済みです。担当者に新しいコードをご依頼ください。',
    expired: 'このセッションコードは有効期限が切れています。担当者に新しいコードをご依頼ください。',
  },
};

export function langOf(req: IncomingMessage): Lang {
  const al = String(req.headers['accept-language'] ?? '').toLowerCase();
  return /^\s*ja\b/.test(al) ? 'ja' : 'en';
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The form posts to itself; nothing runs, so the locked CSP only needs to allow the form action. */
function page(res: ServerResponse, status: number, lang: Lang, message?: Key, extra: Record<string, string> = {}): void {
  const t = TEXT[lang];
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(t.title)}</title></head>
<body><main><h1>${esc(t.title)}</h1><p>${esc(t.lead)}</p>
${message ? `<p role="alert" data-error="${message}">${esc(t[message])}</p>` : ''}
<form method="post" action="/code"><label for="code">${esc(t.label)}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 \\-]*" maxlength="20" required autofocus>
<button type="submit">${esc(t.submit)}</button></form></main></body></html>`;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(html), ...extra });
  res.end(html);
}

export interface CodeDeps { cfg: ResolvedConfig; store: SignalingStore; publicUrl: string; address: string }

export async function handleCodePage(req: IncomingMessage, res: ServerResponse, deps: CodeDeps): Promise<void> {
  const { cfg, store } = deps;
  const lang = langOf(req);
  setSecurityHeaders(res, deps.publicUrl, "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  if (req.method === 'GET' || req.method === 'HEAD') return page(res, 200, lang);
  if (req.method !== 'POST') { req.resume(); return page(res, 405, lang, undefined, { Allow: 'GET, HEAD, POST' }); }

  const gate = await cfg.abuse.codeGate(deps.address);
  if (gate) {
    req.resume();
    cfg.log({ ev: 'code_refused', why: gate.limit });
    return page(res, 429, lang, gate.limit === 'code_address_lockout' ? 'locked' : 'paused', { 'Retry-After': String(Math.ceil((gate.retryAfterMs ?? 1000) / 1000)) });
  }
  const body = await readBody(req, 1024);
  if (!body.ok) return page(res, 413, lang, 'malformed');
  const raw = new URLSearchParams(body.body.toString('utf8')).get('code') ?? '';
  const code = raw.replace(/[\s-]/g, '');
  const digits = cfg.abuse.cfg.codes.digits;
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return page(res, 400, lang, 'malformed');

  // Counted before the lookup: parallel guesses each take a slot of the budget first.
  const attempt = await cfg.abuse.codeAttempt(deps.address);
  if (attempt.hit) {
    cfg.log({ ev: 'code_refused', why: attempt.hit.limit });
    return page(res, 429, lang, attempt.hit.limit === 'code_global_pause' ? 'paused' : 'locked', { 'Retry-After': String(Math.ceil((attempt.hit.retryAfterMs ?? 1000) / 1000)) });
  }
  let hash: string | undefined;
  try {
    hash = await store.takeCode(code);
  } finally {
    await attempt.done(!!hash);
  }
  if (!hash) {
    cfg.metrics.invitesRefused.inc({ reason: 'code_wrong' });
    cfg.log({ ev: 'code_wrong' });
    return page(res, 400, lang, 'wrong');
  }
  const token = newBearerToken();
  const r = await store.reissueInvite(hash, hashToken(token), cfg.now());
  if (!r.ok) {
    cfg.metrics.invitesRefused.inc({ reason: `code_${r.reason}` });
    return page(res, 410, lang, r.reason === 'invite_used' ? 'used' : 'expired');
  }
  cfg.log({ ev: 'code_exchanged', roomId: r.invite.roomId });
  const location = inviteUrl(deps.publicUrl, token, r.invite.page, r.invite.ref);
  res.writeHead(303, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}
