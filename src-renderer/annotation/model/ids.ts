/**
 * Author ids are random per page load (a reload is a new author), shape ids are
 * author-prefixed counters: unique across peers without coordination.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newAuthorId(prefix = 'u'): string {
  const bytes = new Uint8Array(10);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return `${prefix}${s}`;
}

export function idFactory(author: string): () => string {
  let seq = 0;
  return () => `${author}-${(++seq).toString(36)}`;
}

let freezeSeq = 0;
/** A freeze's id: unique per page load, so a late still for an earlier freeze is recognised as such. */
export const newFreezeId = (): string => `f${Date.now().toString(36)}${(++freezeSeq).toString(36)}`;
