/**
 * A signaling node with the embedded OpenID provider (a temp users file) and
 * a tiny browser stand-in for the provider's pages: follows redirects, keeps
 * cookies per origin, and fills the sign-in form. The real browser flow is in
 * tests/e2e/approvals.spec.ts; this one drives the same HTTP exchange from Node.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSignalingServer, type SignalingServer, type SignalingOptions } from '../../../signaling-server/server';
import { hashPassword } from '../../../signaling-server/idp/users';

export interface TestUser { id: string; name: string; roles: string[]; password: string }

export const USERS: TestUser[] = [
  { id: 'alice', name: 'Alice Agent', roles: ['agent'], password: 'alice-pw-1' },
  { id: 'sam', name: 'Sam Supervisor', roles: ['agent', 'supervisor'], password: 'sam-pw-1' },
  { id: 'tina', name: 'Tina Tech', roles: ['technician'], password: 'tina-pw-1' },
];

export async function writeUsersFile(dir: string, users: TestUser[] = USERS): Promise<string> {
  const file = join(dir, 'users.json');
  const out = [];
  // a cheap cost factor: the tests hash and check passwords many times
  for (const u of users) out.push({ id: u.id, name: u.name, roles: u.roles, password: await hashPassword(u.password, 1024) });
  writeFileSync(file, JSON.stringify({ users: out }));
  return file;
}

export interface IdpNode { signaling: SignalingServer; dir: string; close(): Promise<void> }

export async function startIdpNode(extra: Partial<SignalingOptions> = {}): Promise<IdpNode> {
  const dir = mkdtempSync(join(tmpdir(), 'va-idp-'));
  const usersFile = await writeUsersFile(dir);
  const signaling = await startSignalingServer({
    secret: randomBytes(32).toString('base64url'), port: 0, host: '127.0.0.1', log: () => {},
    idp: { embedded: { users: usersFile } },
    ...extra,
  });
  return { signaling, dir, async close() { await signaling.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** Follow a browser's path from the authorization URL through the sign-in form to the redirect URI; returns the final redirect URL. */
export async function browserSignIn(authUrl: string, login: string, password: string, stopAt: string): Promise<{ url: string, status: number, body?: string }> {
  const jar = new Map<string, Map<string, string>>();
  const cookieHeader = (u: URL) => [...(jar.get(u.host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (u: URL, res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const m = jar.get(u.host) ?? new Map<string, string>();
      m.set(pair!.slice(0, i).trim(), pair!.slice(i + 1));
      jar.set(u.host, m);
    }
  };
  let url = new URL(authUrl);
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.href.startsWith(stopAt)) return { url: url.href, status: 0 };
    const res = await fetch(url, { method, redirect: 'manual', headers: { cookie: cookieHeader(url), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) }, ...(body ? { body } : {}) });
    keep(url, res);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url);
      method = 'GET';
      body = undefined;
      continue;
    }
    const text = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(text);
    if (res.status === 200 && action && method === 'GET') {
      url = new URL(action[1]!.replace(/&#47;/g, '/'), url);
      method = 'POST';
      body = new URLSearchParams({ login, password }).toString();
      continue;
    }
    return { url: url.href, status: res.status, body: text };
  }
  throw new Error('too many redirects');
}
