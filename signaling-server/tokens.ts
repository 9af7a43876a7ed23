/** Random bearer tokens and their stored form. */
import * as crypto from 'node:crypto';
import { createHash, randomFillSync } from 'node:crypto';

// One call into the CSPRNG per 4 KiB instead of one per id: a pairing mints
// five or six ids and tokens, and each randomBytes() call cost more than the
// bytes it returned (CPU profile of the pairing path). The bytes are the same
// CSPRNG output either way; each is handed out once and the pool is refilled,
// never reused.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `n` fresh random bytes from the pool, as base64url (never the same bytes twice). */
export function randomBase64url(n: number): string {
  if (n > POOL_BYTES) throw new RangeError(`randomBase64url: at most ${POOL_BYTES} bytes`);
  if (offset + n > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const s = pool.toString('base64url', offset, offset + n);
  // wipe what was handed out, so the pool never holds a copy of a live token
  pool.fill(0, offset, offset + n);
  offset += n;
  return s;
}

/** 32 random bytes -> 43 base64url chars (256 bits). */
export function newBearerToken(): string {
  return randomBase64url(32);
}

// One-shot crypto.hash (Node >= 20.12) is about three times cheaper than a Hash object per call.
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;

/** What the store keeps instead of the token, so a store dump cannot be replayed. */
export function hashToken(token: string): string {
  return oneShot ? oneShot('sha256', token, 'hex') : createHash('sha256').update(token).digest('hex');
}

/** A short, non-reversible tag for logs (never log tokens in clear). */
export function logTag(token: string): string {
  return hashToken(token).slice(0, 10);
}

/** The same tag from a hash already computed (hashToken(token)), without hashing again. */
export function logTagOfHash(hash: string): string {
  return hash.slice(0, 10);
}

/** Opaque ids for rooms and members (not secrets, but unguessable anyway). */
export function newId(prefix: string): string {
  return `${prefix}-${randomBase64url(9)}`;
}
