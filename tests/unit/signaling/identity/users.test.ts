/** The embedded provider's users file: scrypt hashes, strict shape, disabled users, no half-loaded directory. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword, loadUsersFile, userDirectory, verifyPassword } from '../../../../signaling-server/idp/users';

const dir = mkdtempSync(join(tmpdir(), 'va-users-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('users file', () => {
  it('a password verifies against its scrypt hash and nothing else', async () => {
    const h = await hashPassword('correct horse', 1024);
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('correct horse', h)).toBe(true);
    expect(await verifyPassword('correct horsE', h)).toBe(false);
    expect(await verifyPassword('correct horse', 'plaintext')).toBe(false);
  });

  it('authenticates by id (case-insensitive), refuses a wrong password, an unknown or disabled user', async () => {
    const d = userDirectory([
      { id: 'alice', name: 'Alice', roles: ['agent'], password: await hashPassword('pw-alice', 1024) },
      { id: 'old', name: 'Old', roles: ['agent'], password: await hashPassword('pw-old', 1024), disabled: true },
    ]);
    expect(await d.authenticate('Alice', 'pw-alice')).toEqual({ id: 'alice', name: 'Alice', roles: ['agent'] });
    expect(await d.authenticate('alice', 'nope')).toBeUndefined();
    expect(await d.authenticate('mallory', 'pw-alice')).toBeUndefined();
    expect(await d.authenticate('old', 'pw-old')).toBeUndefined();
    expect(d.find('old')).toBeUndefined();
  });

  it('a bad file is a typed error naming the field: plaintext password, unknown role, duplicate id, missing file', async () => {
    const write = (name: string, body: unknown) => { const f = join(dir, name); writeFileSync(f, JSON.stringify(body)); return f; };
    const h = await hashPassword('x-password', 1024);
    expect(loadUsersFile(write('a.json', { users: [{ id: 'a', name: 'A', roles: ['agent'], password: 'secret' }] }))).toMatchObject({ ok: false, error: expect.stringContaining('users.0.password') });
    expect(loadUsersFile(write('b.json', { users: [{ id: 'a', name: 'A', roles: ['admin'], password: h }] }))).toMatchObject({ ok: false, error: expect.stringContaining('roles') });
    expect(loadUsersFile(write('c.json', { users: [{ id: 'a', name: 'A', roles: ['agent'], password: h }, { id: 'A', name: 'B', roles: ['agent'], password: h }] }))).toMatchObject({ ok: false, error: expect.stringContaining('duplicate') });
    expect(loadUsersFile(join(dir, 'missing.json'))).toMatchObject({ ok: false, error: expect.stringContaining('not found') });
    expect(loadUsersFile(write('d.json', { users: [{ id: 'a', name: 'A', roles: ['agent'], password: h }] }))).toMatchObject({ ok: true, count: 1 });
  });

  it('the shipped demo users file loads (npm start signs in with it)', () => {
    expect(loadUsersFile(join(import.meta.dirname, '../../../../signaling-server/idp/demo-users.json'))).toMatchObject({ ok: true, count: 3 });
  });
});
