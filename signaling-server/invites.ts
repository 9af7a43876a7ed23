/**
 * Invites: an unguessable, single-use, expiring link bound to an agent's room.
 * Only sha256(token) reaches the store.
 */
import { invitePagePath, type InviteState } from './protocol/index';
import type { SignalingStore, GuestRole, InviteRecord } from './store';
import { inviteState } from './store';
import { hashToken, newBearerToken } from './tokens';

export interface CreatedInvite {
  token: string;
  url: string;
  record: InviteRecord;
}

export async function createInvite(store: SignalingStore, args: {
  publicUrl: string,
  roomId: string,
  agentId: string,
  role: GuestRole,
  ttlSec: number,
  now: number,
  page?: string,
  ref?: string,
  name?: string,
}): Promise<CreatedInvite> {
  const token = newBearerToken();
  const record: InviteRecord = {
    hash: hashToken(token),
    roomId: args.roomId,
    agentId: args.agentId,
    role: args.role,
    createdAt: args.now,
    expiresAt: args.now + args.ttlSec * 1000,
  };
  if (args.page !== undefined) record.page = args.page;
  if (args.ref !== undefined) record.ref = args.ref;
  if (args.name !== undefined && args.role === 'technician') record.name = args.name;
  await store.putInvite(record);
  return { token, url: inviteUrl(args.publicUrl, token, args.page, args.ref), record };
}

/** The invite's page under `publicUrl` (protocol/invite-link.ts), plus the page/ref the agent attached (the customer page copies them into its context packet). */
export function inviteUrl(publicUrl: string, token: string, page?: string, ref?: string): string {
  const base = `${publicUrl.replace(/\/+$/, '')}${invitePagePath(token)}`;
  const q = new URLSearchParams();
  if (page) q.set('page', page);
  if (ref) q.set('ref', ref);
  const qs = q.toString();
  return qs ? `${base}?${qs}` : base;
}

/** Read-only: never consumes (link previewers and the status endpoint must not burn an invite). */
export async function getInviteState(store: SignalingStore, token: string, now: number): Promise<InviteState> {
  const inv = await store.getInvite(hashToken(token));
  if (inv && inv.usedAt === undefined && !inv.revoked && now < inv.expiresAt) {
    // a valid-looking invite whose room already ended cannot be used
    const room = await store.getRoom(inv.roomId);
    if (!room) return 'expired';
  }
  return inviteState(inv, now);
}

/** Which page an invite opens: the technician's for technician invites (read-only, like getInviteState). */
export async function getInviteRole(store: SignalingStore, token: string): Promise<GuestRole | undefined> {
  return (await store.getInvite(hashToken(token)))?.role;
}
