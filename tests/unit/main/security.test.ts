/**
 * The security decisions of the Electron host, tested in plain Node. The
 * Electron binary cannot run on these machines (it downloads on first run and
 * there is no internet), so plain objects stand in for Electron's event,
 * WebFrameMain and permission details; the decision functions are the same
 * ones src-main/electron/*.ts call.
 */
import { describe, expect, it } from 'vitest';
import { decideWindowOpen, isAllowedExternal, isAllowedNavigation } from '../../../src-main/security/navigation';
import { chooseHidDevice, decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from '../../../src-main/security/permissions';
import { checkSender, type SenderFrameLike } from '../../../src-main/security/sender';
import { buildCsp, securityHeaders } from '../../../src-main/security/csp';
import { isAppUrl } from '../../../src-main/security/app-origin';

describe('navigation lock', () => {
  it('allows the app itself', () => {
    expect(isAllowedNavigation('app://workstation/')).toBe(true);
    expect(isAllowedNavigation('app://workstation/#/case/12')).toBe(true);
  });
  it.each([
    'https://evil.example/',
    'http://127.0.0.1:7801/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'app://workstation.evil.example/',
    'app://evil/',
    'app://user:pw@workstation/',
    'app://workstation:8080/',
    'chrome://settings',
    'not a url',
    '',
  ])('blocks %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });

  it('never opens a new window; hands only allowlisted https links to the OS browser', () => {
    expect(decideWindowOpen('https://github.com/x/y')).toEqual({ action: 'deny', openExternal: 'https://github.com/x/y' });
    for (const url of ['https://evil.example/', 'http://github.com/', 'file:///c:/windows/system32/calc.exe', 'ms-msdt:/id PCWDiagnostic', 'smb://host/share', 'https://github.com.evil.example/', 'https://user@github.com/', 'app://workstation/']) {
      expect(decideWindowOpen(url), url).toEqual({ action: 'deny' });
    }
    expect(isAllowedExternal('https://docs.example/', ['docs.example'])).toBe(true);
    expect(isAllowedExternal('https://docs.example:444/', ['docs.example'])).toBe(false);
  });
});

describe('permissions (default deny)', () => {
  const app = { requestingUrl: 'app://workstation/', isMainFrame: true };

  it('grants camera and microphone to the app top frame', () => {
    expect(decidePermissionRequest({ permission: 'media', mediaTypes: ['audio', 'video'], ...app })).toBe(true);
    expect(decidePermissionRequest({ permission: 'speaker-selection', ...app })).toBe(true);
    expect(decidePermissionCheck({ permission: 'media', requestingOrigin: 'app://workstation', isMainFrame: true })).toBe(true);
    // Electron reports check origins with or without a trailing slash depending on the caller.
    expect(decidePermissionCheck({ permission: 'media', requestingOrigin: 'app://workstation/', isMainFrame: true })).toBe(true);
  });

  it('denies media to a subframe, another origin, or an unknown media type', () => {
    expect(decidePermissionRequest({ permission: 'media', requestingUrl: 'app://workstation/', isMainFrame: false })).toBe(false);
    expect(decidePermissionRequest({ permission: 'media', requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(decidePermissionRequest({ permission: 'media', requestingUrl: 'http://127.0.0.1:7801/', isMainFrame: true })).toBe(false);
    expect(decidePermissionRequest({ permission: 'media', mediaTypes: ['video', 'screen' as 'video'], ...app })).toBe(false);
    expect(decidePermissionCheck({ permission: 'media', requestingOrigin: 'https://evil.example', isMainFrame: true })).toBe(false);
    expect(decidePermissionCheck({ permission: 'media', requestingOrigin: 'app://workstation', isMainFrame: false })).toBe(false);
  });

  it('denies everything not in the table, even for the app', () => {
    for (const permission of ['geolocation', 'notifications', 'openExternal', 'midiSysex', 'clipboard-read', 'hid', 'serial', 'usb', 'pointerLock', 'unknown', 'idle-detection']) {
      expect(decidePermissionRequest({ permission, ...app }), permission).toBe(false);
      if (permission === 'hid') continue; // the check for navigator.hid is allowed to the app (below); the device is decided apart
      expect(decidePermissionCheck({ permission, requestingOrigin: 'app://workstation', isMainFrame: true }), permission).toBe(false);
    }
  });

  it('navigator.hid: the check answers yes only for the app top frame of the app window', () => {
    expect(decidePermissionCheck({ permission: 'hid', requestingOrigin: 'app://workstation', isMainFrame: true, isAppWindow: true })).toBe(true);
    expect(decidePermissionCheck({ permission: 'hid', requestingOrigin: 'https://evil.example', isMainFrame: true, isAppWindow: true })).toBe(false);
    expect(decidePermissionCheck({ permission: 'hid', requestingOrigin: 'app://workstation', isMainFrame: false, isAppWindow: true })).toBe(false);
    // Another window (or devtools, or a contents main could not place) showing our origin: no.
    expect(decidePermissionCheck({ permission: 'hid', requestingOrigin: 'app://workstation', isMainFrame: true, isAppWindow: false })).toBe(false);
    expect(decidePermissionCheck({ permission: 'hid', requestingOrigin: 'app://workstation', isMainFrame: true })).toBe(false);
  });

  it('denies a request with no origin at all', () => {
    expect(decidePermissionRequest({ permission: 'media', isMainFrame: true })).toBe(false);
  });

  const headset = { deviceId: 'hid-1', name: 'Jabra Evolve2 65', collections: [{ usagePage: 0x0c }, { usagePage: 0x0b }] };
  const keyboard = { deviceId: 'hid-2', name: 'Keyboard', collections: [{ usagePage: 0x01 }] };
  const fido = { deviceId: 'hid-3', name: 'Security key', collections: [{ usagePage: 0xf1d0 }] };

  it('grants a telephony HID device (usage page 0x0B) to the app origin only; never USB, serial or another HID device', () => {
    expect(decideDevicePermission({ deviceType: 'hid', origin: 'app://workstation', device: headset })).toBe(true);
    expect(decideDevicePermission({ deviceType: 'hid', origin: 'https://evil.example', device: headset })).toBe(false);
    expect(decideDevicePermission({ deviceType: 'hid', origin: 'app://workstation', device: keyboard })).toBe(false);
    expect(decideDevicePermission({ deviceType: 'hid', origin: 'app://workstation', device: fido })).toBe(false);
    expect(decideDevicePermission({ deviceType: 'hid', origin: 'app://workstation', device: { deviceId: 'x', collections: null } })).toBe(false);
    expect(decideDevicePermission({ deviceType: 'hid', origin: 'app://workstation' })).toBe(false);
    for (const deviceType of ['usb', 'serial']) expect(decideDevicePermission({ deviceType, origin: 'app://workstation', device: headset })).toBe(false);
  });

  it('the HID chooser picks a telephony device for the app window\'s top frame, and nothing for anyone else', () => {
    const ours = { isAppWindow: true };
    expect(chooseHidDevice({ frameUrl: 'app://workstation/', isMainFrame: true, ...ours, deviceList: [keyboard, fido, headset] })).toBe('hid-1');
    expect(chooseHidDevice({ frameUrl: 'app://workstation/', isMainFrame: true, ...ours, deviceList: [keyboard, fido] })).toBeNull();
    expect(chooseHidDevice({ frameUrl: 'app://workstation/', isMainFrame: false, ...ours, deviceList: [headset] })).toBeNull();
    expect(chooseHidDevice({ frameUrl: 'https://evil.example/', isMainFrame: true, ...ours, deviceList: [headset] })).toBeNull();
    expect(chooseHidDevice({ frameUrl: null, isMainFrame: true, ...ours, deviceList: [headset] })).toBeNull();
    expect(chooseHidDevice({ frameUrl: 'app://workstation/', isMainFrame: true, isAppWindow: false, deviceList: [headset] })).toBeNull();
  });
});

describe('IPC sender check', () => {
  const top: SenderFrameLike = { url: 'app://workstation/', parent: null };
  it('accepts the app top frame', () => {
    expect(checkSender(top)).toEqual({ ok: true });
  });
  it('refuses a missing frame (navigated away or destroyed)', () => {
    expect(checkSender(null)).toMatchObject({ ok: false });
    expect(checkSender(undefined)).toMatchObject({ ok: false });
  });
  it('refuses a subframe even when it is app-origin', () => {
    expect(checkSender({ url: 'app://workstation/frame.html', parent: top })).toMatchObject({ ok: false, reason: expect.stringContaining('subframe') });
  });
  it('refuses a top frame on another origin', () => {
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'about:blank', 'app://evil/', 'http://127.0.0.1:7801/']) {
      expect(checkSender({ url, parent: null }), url).toMatchObject({ ok: false, reason: expect.stringContaining('origin') });
    }
  });
});

describe('CSP', () => {
  const csp = buildCsp({ signalingUrl: 'https://signal.example.com:8443' });
  it('allows scripts only from the app: no inline, no eval, no wasm eval', () => {
    expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-inline'[^;]*script/);
  });
  it('allows network only to self and the signaling server over http(s)+ws(s)', () => {
    expect(csp).toContain("connect-src 'self' https://signal.example.com:8443 wss://signal.example.com:8443;");
  });
  it('forbids framing, base and form hijacks and plugins', () => {
    for (const d of ["frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'", "object-src 'none'", "default-src 'self'"]) expect(csp).toContain(d);
  });
  it('ships nosniff and the CSP with every response', () => {
    const h = securityHeaders({ signalingUrl: 'http://127.0.0.1:7800' });
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['Content-Security-Policy']).toContain('ws://127.0.0.1:7800');
  });
  it('app URL check rejects lookalikes', () => {
    expect(isAppUrl('app://workstation/x')).toBe(true);
    expect(isAppUrl('APP://WORKSTATION/')).toBe(true);
    expect(isAppUrl('app://workstationx/')).toBe(false);
    expect(isAppUrl(42)).toBe(false);
  });
});
