/**
 * The invite link's shape (protocol/invite-link.ts): the server builds and
 * routes it, the customer page parses it, so both sides read it from here.
 */
import { describe, expect, it } from 'vitest';
import {
  INVITE_STATE_META, inviteStateMetaTag, invitePagePath, inviteStatusPath, isInviteToken, parseInvitePath, parseInviteState, parseInviteStatus,
} from '../../../../signaling-server/protocol/index';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUv0123456789_-abcdefgh';

describe('invite paths', () => {
  it('builds the page and status paths of a token', () => {
    expect(invitePagePath(TOKEN)).toBe(`/join/${TOKEN}`);
    expect(inviteStatusPath(TOKEN)).toBe(`/join/${TOKEN}/status`);
  });

  it('parses what it builds, with or without a trailing slash', () => {
    expect(parseInvitePath(invitePagePath(TOKEN))).toEqual({ token: TOKEN, wellFormed: true, resource: 'page' });
    expect(parseInvitePath(`${invitePagePath(TOKEN)}/`)).toEqual({ token: TOKEN, wellFormed: true, resource: 'page' });
    expect(parseInvitePath(inviteStatusPath(TOKEN))).toEqual({ token: TOKEN, wellFormed: true, resource: 'status' });
    expect(parseInvitePath(`${inviteStatusPath(TOKEN)}/`)).toEqual({ token: TOKEN, wellFormed: true, resource: 'status' });
  });

  it('still names an invite with a malformed token (answered `unknown`), but says it is malformed', () => {
    expect(parseInvitePath('/join/short')).toEqual({ token: 'short', wellFormed: false, resource: 'page' });
    expect(parseInvitePath('/join/..%2F..%2Fetc%2Fpasswd00000')?.wellFormed).toBe(false);
  });

  it('is no invite path otherwise', () => {
    for (const p of ['/', '/join', '/join/', `/join/${TOKEN}/extra`, `/join/${TOKEN}/status/more`, `/x/join/${TOKEN}`, '/code']) {
      expect(parseInvitePath(p)).toBeUndefined();
    }
  });

  it('accepts base64url tokens of 16 to 256 characters only', () => {
    expect(isInviteToken(TOKEN)).toBe(true);
    expect(isInviteToken('a'.repeat(16))).toBe(true);
    expect(isInviteToken('a'.repeat(15))).toBe(false);
    expect(isInviteToken('a'.repeat(257))).toBe(false);
    expect(isInviteToken(`${'a'.repeat(20)}+/=`)).toBe(false);
  });
});

describe('invite state on the served page', () => {
  it('writes a meta tag whose content reads back as the same state', () => {
    for (const s of ['valid', 'used', 'expired', 'unknown'] as const) {
      const tag = inviteStateMetaTag(s);
      expect(tag).toBe(`<meta name="${INVITE_STATE_META}" content="${s}">`);
      expect(parseInviteState(/content="([^"]*)"/.exec(tag)?.[1])).toBe(s);
    }
  });

  it('reads no state from anything but its words', () => {
    for (const raw of [undefined, null, '', 'VALID', 'valid ', 'unreachable', 1, {}]) expect(parseInviteState(raw)).toBeUndefined();
  });

  it('reads the status body', () => {
    expect(parseInviteStatus({ state: 'used' })).toBe('used');
    for (const body of [null, {}, { state: 'maybe' }, { state: 1 }, 'valid']) expect(parseInviteStatus(body)).toBeUndefined();
  });
});
