/** The invite's short numeric code as the agent reads it out (InvitePanel). Pure, so node tests can import it. */

/**
 * A short code read out over the phone is easier in groups ("123 456 7890"); the code page
 * ignores the spaces. Groups of three, a lone last digit joining the group before it.
 */
export function groupCode(code: string): string {
  const groups = code.match(/\d{1,3}/g) ?? [code];
  if (groups.length > 1 && groups[groups.length - 1]!.length === 1) groups.splice(-2, 2, groups[groups.length - 2]! + groups[groups.length - 1]!);
  return groups.join(' ');
}

/** Where a caller types the code: /code on the signaling server the invite link points at. */
export function codePageOf(inviteUrl: string): string {
  try { return `${new URL(inviteUrl).origin}/code`; } catch { return '/code'; }
}
