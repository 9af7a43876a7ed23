/** The invite token of a customer page URL (/join/<token>), or null for anything else. */
export function inviteTokenFromPath(pathname: string): string | null {
  const m = pathname.match(/^\/join\/([A-Za-z0-9_-]{16,256})\/?$/);
  return m ? m[1]! : null;
}
