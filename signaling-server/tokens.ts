/** Random bearer tokens and their stored form. */
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes -> 43 base64url chars (256 bits). */
export function newBearerToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps instead of the token, so a store dump cannot be replayed. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A short, non-reversible tag for logs (never log tokens in clear). */
export function logTag(token: string): string {
  return hashToken(token).slice(0, 10);
}

/** Opaque ids for rooms and members (not secrets, but unguessable anyway). */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('base64url')}`;
}

export const BEARER_TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,256}$/;
