/**
 * The customer's seat across reloads: the resume token a welcome gave us and
 * the source being shared, kept in sessionStorage (this tab only) under the
 * invite token's prefix. Storage may be blocked (private modes): then a
 * reload simply asks for consent again.
 */
import type { Source } from './local-media';

const RESUME_KEY = (token: string) => `va.resume.${token.slice(0, 16)}`;
const SOURCE_KEY = (token: string) => `va.source.${token.slice(0, 16)}`;

function safeSession<T>(fn: () => T): T | null {
  try { return fn(); } catch { return null; }
}

export function storedResumeToken(invite: string): string | null {
  return safeSession(() => sessionStorage.getItem(RESUME_KEY(invite)));
}

export function storedSource(invite: string): Source {
  return (safeSession(() => sessionStorage.getItem(SOURCE_KEY(invite))) as Source | null) ?? 'camera';
}

export function storeSeat(invite: string, resumeToken: string, source: Source): void {
  safeSession(() => sessionStorage.setItem(RESUME_KEY(invite), resumeToken));
  safeSession(() => sessionStorage.setItem(SOURCE_KEY(invite), source));
}

export function forgetSeat(invite: string): void {
  safeSession(() => { sessionStorage.removeItem(RESUME_KEY(invite)); sessionStorage.removeItem(SOURCE_KEY(invite)); });
}
