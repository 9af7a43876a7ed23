/**
 * The invite link's shape, shared by the server that mints and serves it and
 * the customer page that reads it: the paths, the token pattern, and the
 * invite's state as the server tells it to the page (written into the page it
 * serves, or answered by the status path).
 */
import { z } from './zod';

/** Invite (and resume) tokens: base64url, 43 characters as minted; the bounds leave room, never more. */
const INVITE_TOKEN = /^[A-Za-z0-9_-]{16,256}$/;
/** `/join/<token>` (the customer page) or `/join/<token>/status`, either with a trailing slash. */
const INVITE_PATH = /^\/join\/([^/]+)(\/status)?\/?$/;

export function isInviteToken(token: string): boolean {
  return INVITE_TOKEN.test(token);
}

/** The customer page of an invite. */
export function invitePagePath(token: string): string {
  return `/join/${encodeURIComponent(token)}`;
}

/** Where the page asks for the invite's state (read-only: never consumes the invite). */
export function inviteStatusPath(token: string): string {
  return `${invitePagePath(token)}/status`;
}

export interface InvitePath {
  /** the path segment as it came (not decoded); check `wellFormed` before using it as a token */
  token: string;
  wellFormed: boolean;
  resource: 'page' | 'status';
}

/** Which invite resource `pathname` names, if any. A malformed token is still an invite path: it is answered `unknown`. */
export function parseInvitePath(pathname: string): InvitePath | undefined {
  const m = INVITE_PATH.exec(pathname);
  if (!m) return undefined;
  const token = m[1]!;
  return { token, wellFormed: INVITE_TOKEN.test(token), resource: m[2] ? 'status' : 'page' };
}

/** What the customer page learns about its invite before asking for consent. */
export const InviteState = z.enum(['valid', 'used', 'expired', 'unknown']);
export type InviteState = z.infer<typeof InviteState>;

/** The body of GET /join/<token>/status. */
export const InviteStatus = z.object({ state: InviteState });
export type InviteStatus = z.infer<typeof InviteStatus>;

/** The state is also written into the page the server serves, which saves the page the status round trip. */
export const INVITE_STATE_META = 'va-invite-state';

/** The tag the server puts in the served page's head (the state is one of the enum's words, never request data). */
export function inviteStateMetaTag(state: InviteState): string {
  return `<meta name="${INVITE_STATE_META}" content="${state}">`;
}

/** The state from the meta tag's content or a status body's `state`; undefined when it is none of the words. */
export function parseInviteState(raw: unknown): InviteState | undefined {
  const r = InviteState.safeParse(raw);
  return r.success ? r.data : undefined;
}

/** The state from a status body (GET /join/<token>/status); undefined when the body is not one. */
export function parseInviteStatus(body: unknown): InviteState | undefined {
  const r = InviteStatus.safeParse(body);
  return r.success ? r.data.state : undefined;
}
