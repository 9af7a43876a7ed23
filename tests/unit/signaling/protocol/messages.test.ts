import { describe, expect, test } from 'vitest';
import { MAX_FRAME_BYTES, parseClientFrame, parseServerFrame } from '../../../../signaling-server/protocol/index';

const ctx = {
  browser: 'Safari 19', os: 'iOS 19', deviceClass: 'phone',
  screen: { width: 390, height: 844, dpr: 3 }, locale: 'ja-JP', timeZone: 'Asia/Tokyo',
};
const INV = 'A'.repeat(43);
const j = (o: unknown) => JSON.stringify(o);

describe('client frames the server accepts', () => {
  test.each([
    ['auth', { type: 'auth', v: 1, token: 'abc.def' }],
    ['join', { type: 'join', v: 1, invite: INV, context: ctx }],
    ['join with page, ref, ani and app data', { type: 'join', v: 1, invite: INV, context: { ...ctx, page: '/billing', ref: 'ivr', ani: '+15551234567', app: { plan: 'gold', n: 3, vip: true } } }],
    ['resume', { type: 'resume', v: 1, resumeToken: INV }],
    ['resume with new context', { type: 'resume', v: 1, resumeToken: INV, context: ctx }],
    ['create_invite (bare)', { type: 'create_invite' }],
    ['create_invite (all fields)', { type: 'create_invite', reqId: 'r-1', ttlSec: 600, page: '/p', ref: 'r', role: 'technician' }],
    ['signal offer', { type: 'signal', to: 'm-1', data: { type: 'offer', sdp: 'v=0' } }],
    ['signal answer', { type: 'signal', to: 'm-1', data: { type: 'answer', sdp: 'v=0' } }],
    ['signal candidate', { type: 'signal', to: 'm-1', data: { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } } }],
    ['signal renegotiate', { type: 'signal', to: 'm-1', data: { type: 'renegotiate', renegotiate: true } }],
    ['signal transceiverRequest', { type: 'signal', to: 'm-1', data: { type: 'transceiverRequest', transceiverRequest: { kind: 'video' } } }],
    ['hangup', { type: 'hangup' }],
    ['ping', { type: 'ping', reqId: 'x' }],
  ])('%s', (_name, msg) => {
    const r = parseClientFrame(j(msg));
    expect(r).toMatchObject({ ok: true });
  });

  test('binary (Uint8Array / ArrayBuffer / fragments) carrying JSON text parses like text', () => {
    const bytes = new TextEncoder().encode(j({ type: 'ping' }));
    expect(parseClientFrame(bytes).ok).toBe(true);
    expect(parseClientFrame(bytes.buffer.slice(0) as ArrayBuffer).ok).toBe(true);
    expect(parseClientFrame([bytes.slice(0, 5), bytes.slice(5)]).ok).toBe(true);
  });
});

describe('client frames the server refuses, with the typed code', () => {
  test.each([
    ['not JSON', 'hello', 'bad_frame'],
    ['truncated JSON', '{"type":"ping"', 'bad_frame'],
    ['JSON but not an object', '42', 'invalid_message'],
    ['null', 'null', 'invalid_message'],
    ['unknown type', j({ type: 'teleport' }), 'invalid_message'],
    ['no type', j({ token: 'x' }), 'invalid_message'],
    ['auth without token', j({ type: 'auth', v: 1 }), 'invalid_message'],
    ['auth with empty token', j({ type: 'auth', v: 1, token: '' }), 'invalid_message'],
    ['auth from a future protocol', j({ type: 'auth', v: 2, token: 'x' }), 'unsupported_version'],
    ['auth with extra field', j({ type: 'auth', v: 1, token: 'x', admin: true }), 'invalid_message'],
    ['join with short invite', j({ type: 'join', v: 1, invite: 'short', context: ctx }), 'invalid_message'],
    ['join without context', j({ type: 'join', v: 1, invite: INV }), 'invalid_message'],
    ['join with bad deviceClass', j({ type: 'join', v: 1, invite: INV, context: { ...ctx, deviceClass: 'toaster' } }), 'invalid_message'],
    ['join with unknown context key', j({ type: 'join', v: 1, invite: INV, context: { ...ctx, cookie: 'x' } }), 'invalid_message'],
    ['join with huge page', j({ type: 'join', v: 1, invite: INV, context: { ...ctx, page: 'x'.repeat(3000) } }), 'invalid_message'],
    ['join with nested app data', j({ type: 'join', v: 1, invite: INV, context: { ...ctx, app: { a: { b: 1 } } } }), 'invalid_message'],
    ['resume with short token', j({ type: 'resume', v: 1, resumeToken: 'x' }), 'invalid_message'],
    ['create_invite ttl too short', j({ type: 'create_invite', ttlSec: 5 }), 'invalid_message'],
    ['create_invite ttl too long', j({ type: 'create_invite', ttlSec: 86_401 }), 'invalid_message'],
    ['create_invite as agent role', j({ type: 'create_invite', role: 'agent' }), 'invalid_message'],
    ['create_invite bad reqId', j({ type: 'create_invite', reqId: 'a b' }), 'invalid_message'],
    ['signal without to', j({ type: 'signal', data: { type: 'offer', sdp: 'v=0' } }), 'invalid_message'],
    ['signal to a bad id', j({ type: 'signal', to: '../x y', data: { type: 'offer', sdp: 'v=0' } }), 'invalid_message'],
    ['signal with unknown data type', j({ type: 'signal', to: 'm', data: { type: 'exec', cmd: 'rm' } }), 'invalid_message'],
    ['signal with oversized sdp', j({ type: 'signal', to: 'm', data: { type: 'offer', sdp: 'x'.repeat(50_000) } }), 'invalid_message'],
    ['signal candidate without candidate', j({ type: 'signal', to: 'm', data: { type: 'candidate' } }), 'invalid_message'],
    ['hangup with extra field', j({ type: 'hangup', all: true }), 'invalid_message'],
    ['ping with bad reqId', j({ type: 'ping', reqId: 7 }), 'invalid_message'],
    ['frame over MAX_FRAME_BYTES', j({ type: 'ping', reqId: 'x'.repeat(MAX_FRAME_BYTES) }), 'too_large'],
  ])('%s -> %s', (_name, raw, code) => {
    const r = parseClientFrame(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.message.length).toBeGreaterThan(0);
    }
  });

  test('a non-text value is bad_frame', () => {
    const r = parseClientFrame(42 as unknown as string);
    expect(r).toMatchObject({ ok: false, code: 'bad_frame' });
  });
});

describe('server frames the pages validate', () => {
  test('welcome, error and screen_pop round-trip; a frame with an unknown error code does not', () => {
    expect(parseServerFrame(j({ type: 'welcome', v: 1, memberId: 'm-1', role: 'customer', roomId: 'r-1', resumeToken: INV, iceServers: [{ urls: 'stun:127.0.0.1:3478' }], members: [] })).ok).toBe(true);
    expect(parseServerFrame(j({ type: 'error', code: 'invite_used', message: 'used' })).ok).toBe(true);
    expect(parseServerFrame(j({ type: 'screen_pop', ani: '+15551234567', source: 'telephony', receivedAt: 1 })).ok).toBe(true);
    expect(parseServerFrame(j({ type: 'error', code: 'teapot', message: 'x' })).ok).toBe(false);
  });
});
