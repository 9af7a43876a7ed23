import { parseInvitePath } from '../../signaling-server/protocol';

/** The invite token of a customer page URL (/join/<token>), or null for anything else. */
export function inviteTokenFromPath(pathname: string): string | null {
  const p = parseInvitePath(pathname);
  return p?.resource === 'page' && p.wellFormed ? p.token : null;
}
