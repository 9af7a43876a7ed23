/**
 * The embedded provider's user directory: a JSON file of users, each with an
 * id, a display name, an scrypt password hash and roles. It is the default for
 * a single site; an organisation points the workstation at its own IdP
 * instead (docs/SECURITY.md).
 *
 *   { "users": [ { "id": "agent", "name": "Demo Agent", "roles": ["agent"],
 *                  "password": "scrypt$16384$8$1$<salt b64url>$<hash b64url>" } ] }
 *
 * `echo PASSWORD | npm run -s signaling -- hash-password` prints a hash for a new user.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Role } from '../identity/identity';

const scrypt = (pw: string, salt: Buffer, len: number, o: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(pw, salt, len, o, (err, key) => (err ? reject(err) : resolve(key))));

const HASH_RE = /^scrypt\$(\d{1,7})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,128})\$([A-Za-z0-9_-]{32,256})$/;

export const UserRecord = z.object({
  id: z.string().min(1).max(128).regex(/^[A-Za-z0-9_\-.:]+$/),
  name: z.string().min(1).max(128),
  roles: z.array(Role).min(1).max(3),
  password: z.string().regex(HASH_RE, { message: 'password must be an scrypt hash (scrypt$N$r$p$salt$hash); make one with `npm run signaling -- hash-password`' }),
  /** A disabled user cannot sign in (kept for the audit trail of what they did). */
  disabled: z.boolean().optional(),
}).strict();
export type UserRecord = z.infer<typeof UserRecord>;

export const UsersFile = z.object({ users: z.array(UserRecord).max(10_000) }).strict().superRefine((f, ctx) => {
  const seen = new Set<string>();
  f.users.forEach((u, i) => {
    if (seen.has(u.id.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['users', i, 'id'], message: `duplicate user id "${u.id}"` });
    seen.add(u.id.toLowerCase());
  });
});

export interface User { id: string; name: string; roles: Role[] }

export interface UserDirectory {
  /** The user when the password is right; undefined otherwise (same time either way). */
  authenticate(login: string, password: string): Promise<User | undefined>;
  find(id: string): User | undefined;
}

/** scrypt with N=2^14, r=8, p=1 (OWASP's floor for scrypt), 16-byte salt, 32-byte key. */
export async function hashPassword(password: string, cost = 16384): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, { N: cost, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${cost}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const m = HASH_RE.exec(hash);
  if (!m) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const want = Buffer.from(m[5]!, 'base64url');
  const got = await scrypt(password, Buffer.from(m[4]!, 'base64url'), want.length, { N, r, p, maxmem: 256 * 1024 * 1024 });
  return got.length === want.length && timingSafeEqual(got, want);
}

export type LoadUsersResult = { ok: true, directory: UserDirectory, count: number } | { ok: false, error: string };

export function userDirectory(records: readonly UserRecord[]): UserDirectory {
  const byId = new Map(records.map((u) => [u.id.toLowerCase(), u]));
  // Unknown users still cost one scrypt, so timing does not tell which logins exist.
  const decoy = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  const pub = (u: UserRecord): User => ({ id: u.id, name: u.name, roles: [...u.roles] });
  return {
    async authenticate(login, password) {
      const u = typeof login === 'string' && login.length <= 128 ? byId.get(login.trim().toLowerCase()) : undefined;
      const ok = await verifyPassword(typeof password === 'string' ? password.slice(0, 1024) : '', u?.password ?? decoy);
      return ok && u && !u.disabled ? pub(u) : undefined;
    },
    find(id) {
      const u = byId.get(id.toLowerCase());
      return u && !u.disabled ? pub(u) : undefined;
    },
  };
}

/** Read and check a users file; a bad file is a typed error naming the field, never a half-loaded directory. */
export function loadUsersFile(path: string): LoadUsersResult {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { ok: false, error: `users file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}` };
  }
  const r = UsersFile.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    return { ok: false, error: `users file ${path}: ${i?.path.join('.') || 'root'}: ${i?.message ?? 'invalid'}` };
  }
  return { ok: true, directory: userDirectory(r.data.users), count: r.data.users.length };
}
