/**
 * Sign-in for the desktop app per RFC 8252: the provider's page opens in the
 * user's system browser (where their password manager and SSO live, and
 * where our app cannot read what they type), and the redirect comes back to
 * a one-shot HTTP listener on 127.0.0.1 with a port the OS picks (§7.3).
 * Plain Node; Electron passes `open` (shell.openExternal).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthService } from './service';

const PAGE = (ok: boolean) => `<!doctype html><meta charset="utf-8"><title>${ok ? 'Signed in' : 'Sign-in failed'}</title>
<p>${ok ? 'Signed in. You can close this tab and return to the workstation.' : 'Sign-in failed. Return to the workstation and try again.'}</p>
<p lang="ja">${ok ? 'サインインしました。このタブを閉じてワークステーションに戻ってください。' : 'サインインに失敗しました。ワークステーションに戻ってもう一度お試しください。'}</p>`;

export async function loopbackSignIn(auth: AuthService, open: (url: string) => Promise<void>, opts: { timeoutMs?: number } = {}): Promise<void> {
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const done = new Promise<void>((resolve, reject) => { settle = { resolve, reject }; });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/auth/callback') { res.writeHead(404).end(); return; }
    auth.completeSignIn(new URL(req.url ?? '/', `http://127.0.0.1:${(server.address() as AddressInfo).port}`)).then(
      () => { res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(PAGE(true)); settle.resolve(); },
      (err: Error) => { res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(PAGE(false)); settle.reject(err); },
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const timer = setTimeout(() => settle.reject(new Error('sign-in was not completed in time')), opts.timeoutMs ?? 5 * 60_000);
  try {
    const port = (server.address() as AddressInfo).port;
    await open(await auth.beginSignIn(`http://127.0.0.1:${port}/auth/callback`));
    await done;
  } finally {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  }
}
