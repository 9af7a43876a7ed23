import { describe, expect, it } from 'vitest';
import { buildContextPacket, detectBrowser, detectDeviceClass, detectOs, type ContextInputs } from '../../../src-renderer/customer/context-packet';
import { inviteTokenFromPath } from '../../../src-renderer/customer/invite-path';
import { ContextPacket } from '../../../signaling-server/protocol';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const ANDROID_TAB = 'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const WIN_EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87';
const MAC_FF = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0';
const IPAD_AS_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';

const base: ContextInputs = { userAgent: ANDROID, maxTouchPoints: 5, screen: { width: 412, height: 915 }, dpr: 2.625, language: 'ja-JP', timeZone: 'Asia/Tokyo', search: '' };

describe('context packet', () => {
  it('names browser, OS and device class from real user agents', () => {
    expect([detectBrowser(IPHONE), detectOs(IPHONE), detectDeviceClass({ ...base, userAgent: IPHONE })]).toEqual(['Safari 17', 'iOS 17.4', 'phone']);
    expect([detectBrowser(ANDROID), detectOs(ANDROID), detectDeviceClass(base)]).toEqual(['Chrome 126', 'Android 14', 'phone']);
    expect(detectDeviceClass({ ...base, userAgent: ANDROID_TAB })).toBe('tablet');
    expect([detectBrowser(WIN_EDGE), detectOs(WIN_EDGE), detectDeviceClass({ ...base, userAgent: WIN_EDGE, maxTouchPoints: 0 })]).toEqual(['Edge 126', 'Windows 10/11', 'desktop']);
    expect([detectBrowser(MAC_FF), detectOs(MAC_FF)]).toEqual(['Firefox 127', 'macOS 14.5']);
    expect(detectDeviceClass({ ...base, userAgent: IPAD_AS_MAC, maxTouchPoints: 5 })).toBe('tablet');
    expect(detectBrowser('curl/8')).toBe('unknown');
  });

  it('carries page and ref from the link and always satisfies the wire schema', () => {
    const p = buildContextPacket({ ...base, search: '?page=%2Fbilling%2Foct&ref=CASE-9' });
    expect(p).toMatchObject({ deviceClass: 'phone', locale: 'ja-JP', timeZone: 'Asia/Tokyo', page: '/billing/oct', ref: 'CASE-9', screen: { width: 412, height: 915, dpr: 2.625 } });
    expect(ContextPacket.safeParse(p).success).toBe(true);
  });

  it('clamps hostile or absurd inputs instead of sending what the server would refuse', () => {
    const p = buildContextPacket({ ...base, userAgent: 'x'.repeat(5000), screen: { width: 1e9, height: NaN }, dpr: 99, language: '', timeZone: '', search: `?page=${'p'.repeat(5000)}&ref=${'r'.repeat(999)}` });
    expect(p.screen).toEqual({ width: 100_000, height: 0, dpr: 16 });
    expect(p.page!.length).toBe(2048);
    expect(p.ref!.length).toBe(256);
    expect(p.locale).toBe('und');
    expect(p.timeZone).toBe('UTC');
    expect(p).not.toHaveProperty('ani');
  });
});

describe('the customer page link', () => {
  it('reads the invite token only from /join/<token>', () => {
    expect(inviteTokenFromPath('/join/AbCdEfGhIjKlMnOpQrStUv')).toBe('AbCdEfGhIjKlMnOpQrStUv');
    expect(inviteTokenFromPath('/join/short')).toBeNull();
    expect(inviteTokenFromPath('/join/AbCdEfGhIjKlMnOpQrStUv/extra')).toBeNull();
    expect(inviteTokenFromPath('/join/..%2F..%2Fetc%2Fpasswd00000')).toBeNull();
  });
});
