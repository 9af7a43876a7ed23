/** The embedded provider's sign-in page: a plain form, English or Japanese by Accept-Language, no script. */

const TEXT = {
  en: { title: 'Sign in', user: 'User', password: 'Password', submit: 'Sign in', failed: 'Wrong user or password.', locked: 'Too many attempts; wait a minute and try again.', app: 'Visual-assist workstation' },
  ja: { title: 'サインイン', user: 'ユーザー', password: 'パスワード', submit: 'サインイン', failed: 'ユーザーまたはパスワードが違います。', locked: '試行回数が多すぎます。1 分後にもう一度お試しください。', app: 'ビジュアルアシスト ワークステーション' },
} as const;
export type LoginLang = keyof typeof TEXT;

export function loginLang(acceptLanguage: string | undefined): LoginLang {
  return /^\s*ja\b/i.test(acceptLanguage ?? '') ? 'ja' : 'en';
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page's CSP: the form posts to us, and the provider's redirect chain ends at a loopback redirect URI (RFC 8252), which form-action also governs. */
export const LOGIN_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:* http://[::1]:* http://localhost:*; frame-ancestors 'none'; base-uri 'none'";

export function loginPage(o: { action: string, lang: LoginLang, login?: string, error?: 'failed' | 'locked', client?: string }): string {
  const t = TEXT[o.lang];
  return `<!doctype html>
<html lang="${o.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)} · ${esc(t.app)}</title>
<style>
body{font:16px/1.4 system-ui,sans-serif;background:#f3f4f6;margin:0;display:grid;place-items:center;min-height:100vh}
form{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002;min-width:18rem;display:grid;gap:.8rem}
label{display:grid;gap:.2rem}input{font:inherit;padding:.4rem}button{font:inherit;padding:.5rem;background:#1d4ed8;color:#fff;border:0;border-radius:4px}
.err{color:#b91c1c}
</style></head>
<body><form method="post" action="${esc(o.action)}" data-testid="idp-login" autocomplete="on">
<h1>${esc(t.title)}</h1><p>${esc(t.app)}</p>
${o.error ? `<p class="err" role="alert" data-testid="idp-error">${esc(t[o.error])}</p>` : ''}
<label>${esc(t.user)}<input name="login" autocomplete="username" required maxlength="128" value="${esc(o.login ?? '')}" autofocus></label>
<label>${esc(t.password)}<input name="password" type="password" autocomplete="current-password" required maxlength="1024"></label>
<button type="submit">${esc(t.submit)}</button>
</form></body></html>`;
}
