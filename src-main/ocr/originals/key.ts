/**
 * The key originals are sealed with: 32 random bytes made on first use and
 * kept in one file beside the case cache (mode 0600). Where the operating
 * system offers a keychain (Electron's safeStorage: DPAPI, Keychain, libsecret),
 * the file holds the key wrapped by it, so a copied data folder alone opens
 * nothing; elsewhere (the web host, tests) the file holds the raw key and
 * says so in its first byte.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The operating system's keychain as Electron's safeStorage offers it. */
export interface KeyWrap {
  wrap(key: Buffer): Buffer;
  unwrap(wrapped: Buffer): Buffer;
}

const RAW = 0x01;
const WRAPPED = 0x02;

export class OriginalsKeyError extends Error {
  readonly code = 'originals_key_unavailable';
}

export function loadOrCreateKey(file: string, keyWrap: KeyWrap | null): Buffer {
  if (existsSync(file)) {
    const b = readFileSync(file);
    if (b[0] === RAW && b.length === 33) return b.subarray(1);
    if (b[0] === WRAPPED) {
      if (!keyWrap) throw new OriginalsKeyError('the originals key is wrapped by the system keychain, which this host cannot reach');
      const key = keyWrap.unwrap(b.subarray(1));
      if (key.length !== 32) throw new OriginalsKeyError('the originals key file does not unwrap to a 32-byte key');
      return key;
    }
    throw new OriginalsKeyError('the originals key file is not one this app wrote');
  }
  const key = randomBytes(32);
  const body = keyWrap ? Buffer.concat([Buffer.from([WRAPPED]), keyWrap.wrap(key)]) : Buffer.concat([Buffer.from([RAW]), key]);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, body, { mode: 0o600 });
  renameSync(tmp, file);
  return key;
}
