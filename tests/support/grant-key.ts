/**
 * An Ed25519 grant-signing key in a PEM file, for tests that start several
 * signaling nodes on one Redis (they refuse to start without one shared key).
 * One file per test process, removed when the process exits.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let file: string | undefined;

/** A fresh key's file (`fresh`), or this process's shared one. */
export function grantKeyFile(fresh = false): string {
  if (file && !fresh) return file;
  const dir = mkdtempSync(join(tmpdir(), 'grant-key-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const { privateKey } = generateKeyPairSync('ed25519');
  const f = join(dir, 'grant-key.pem');
  writeFileSync(f, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  if (!fresh) file = f;
  return f;
}
