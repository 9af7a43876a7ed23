/**
 * The real esbuild bundles of the Electron main process and preload, run in
 * Node against a stand-in `electron` module. The Electron binary cannot run
 * on these machines (it is downloaded on first run and there is no internet),
 * so this is the closest check of the wiring: hardening calls happen before
 * ready, the window is created with the hardened webPreferences, IPC refuses
 * foreign senders, the app:// protocol serves the page with the CSP, the
 * permission handlers default-deny, navigation is locked, and the preload
 * exposes only `invoke`. tests/e2e/electron.spec.ts runs the real binary where
 * one exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildElectron } from '../../../scripts/build-electron';
import { CHANNEL_NAMES } from '../../../src-preload/api';
import { verifyAgentToken } from '../../../signaling-server/auth';

const realRequire = createRequire(import.meta.url);
let dir: string;
let out: { main: string; preload: string; casesWorker: string; warnings: string[] };

function runCjs(file: string, code: string, electron: unknown): void {
  const mod = { exports: {} };
  const req = (id: string) => (id === 'electron' ? electron : realRequire(id));
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'module', 'exports', '__dirname', '__filename', code)(req, mod, mod.exports, join(file, '..'), file);
}

type Fn = (...a: any[]) => any;

function fakeMainElectron(appPath: string) {
  const calls: string[] = [];
  const appListeners = new Map<string, Fn>();
  const ipc = new Map<string, Fn>();
  const windows: { options: any; url?: string; webContents?: object }[] = [];
  const perms: Record<string, Fn> = {};
  let protocolHandler: Fn | undefined;
  let privileged: any;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => { resolveReady = r; });
  class BrowserWindow {
    rec: { options: any; url?: string; webContents?: object };
    readonly webContents = { id: windows.length + 1 };
    constructor(options: any) { this.rec = { options, webContents: this.webContents }; windows.push(this.rec); calls.push('BrowserWindow'); }
    once() {} on() {} show() {} isMinimized() { return false; } restore() {} focus() {}
    loadURL(url: string) { this.rec.url = url; return Promise.resolve(); }
  }
  const electron = {
    app: {
      enableSandbox: () => calls.push('enableSandbox'),
      requestSingleInstanceLock: () => { calls.push('singleInstanceLock'); return true; },
      on: (ev: string, fn: Fn) => appListeners.set(ev, fn),
      whenReady: () => { calls.push('whenReady'); return ready; },
      getAppPath: () => appPath,
      getPath: (name: string) => join(appPath, '..', name),
      getVersion: () => '0.1.0',
      isPackaged: false,
      quit: () => calls.push('quit'),
      exit: (code: number) => calls.push(`exit:${code}`),
    },
    protocol: {
      registerSchemesAsPrivileged: (s: any) => { calls.push('registerSchemesAsPrivileged'); privileged = s; },
      handle: (scheme: string, fn: Fn) => { calls.push(`protocol.handle:${scheme}`); protocolHandler = fn; },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => { perms.request = fn; },
        setPermissionCheckHandler: (fn: Fn) => { perms.check = fn; },
        setDevicePermissionHandler: (fn: Fn) => { perms.device = fn; },
        // Managed-desktop glue (src-main/electron/managed.ts): proxy policy and main's proxy lookups.
        setProxy: async (cfg: { mode: string }) => { calls.push(`setProxy:${cfg.mode}`); },
        resolveProxy: async () => 'DIRECT',
        setCertificateVerifyProc: () => { calls.push('setCertificateVerifyProc'); },
        on: (event: string, fn: Fn) => { perms[event] = fn; },
      },
    },
    ipcMain: { handle: (ch: string, fn: Fn) => ipc.set(ch, fn), removeHandler: (ch: string) => ipc.delete(ch) },
    shell: { openExternal: async (url: string) => { calls.push(`openExternal:${url}`); } },
    // The OS keychain that wraps the sealed-originals key (DPAPI, Keychain, libsecret): a stand-in here.
    safeStorage: { isEncryptionAvailable: () => true, encryptString: (s: string) => Buffer.from(`wrapped:${s}`), decryptString: (b: Buffer) => b.toString().slice('wrapped:'.length) },
    BrowserWindow,
    // A frame's web contents (the stand-in frames carry theirs).
    webContents: { fromFrame: (frame: { wc?: object }) => frame.wc },
  };
  return { electron, calls, appListeners, ipc, windows, perms, get protocolHandler() { return protocolHandler; }, get privileged() { return privileged; }, ready: async () => { resolveReady(); await new Promise((r) => setTimeout(r, 50)); } };
}

let main: ReturnType<typeof fakeMainElectron>;
const agentKey = 'test-agent-key-0123456789abcdef';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'va-electron-'));
  out = await buildElectron({ outDir: join(dir, 'dist-electron') });
  await mkdir(join(dir, 'app', 'dist', 'renderer', 'app'), { recursive: true });
  await writeFile(join(dir, 'app', 'dist', 'renderer', 'app', 'index.html'), '<!doctype html><title>ws</title>');
  await writeFile(join(dir, 'app', 'secret.txt'), 'do not serve');
  // As in the packaged app, the bundles' external modules (better-sqlite3 for the case database worker) resolve from node_modules beside dist-electron/.
  await symlink(resolve('node_modules'), join(dir, 'node_modules'), 'dir');

  process.env.VISUAL_ASSIST_DATA = join(dir, 'data');
  process.env.VISUAL_ASSIST_SIGNALING_URL = 'http://127.0.0.1:7999';
  process.env.VISUAL_ASSIST_AGENT_KEY = agentKey;
  main = fakeMainElectron(join(dir, 'app'));
  runCjs(out.main, await readFile(out.main, 'utf8'), main.electron);
  await main.ready();
}, 60_000);

afterAll(async () => {
  delete process.env.VISUAL_ASSIST_DATA;
  delete process.env.VISUAL_ASSIST_SIGNALING_URL;
  await rm(dir, { recursive: true, force: true });
});

const appFrame = { url: 'app://workstation/', parent: null };
const invoke = (channel: string, input: unknown, senderFrame: unknown = appFrame) =>
  main.ipc.get(channel)!({ senderFrame, sender: { id: 1 } }, input);

describe('Electron main bundle (stand-in electron module)', () => {
  it('applies the proxy policy (system by default) to the session before the window opens', () => {
    expect(main.calls).toContain('setProxy:system');
    expect(main.calls.indexOf('setProxy:system')).toBeLessThan(main.calls.indexOf('BrowserWindow'));
    expect(main.calls).not.toContain('setCertificateVerifyProc'); // no organisation CA listed
  });

  it('bundles without warnings (e.g. import.meta left empty in CommonJS)', () => {
    expect(out.warnings).toEqual([]);
  });

  it('sandboxes every renderer and registers app:// as a secure standard scheme before ready', () => {
    const before = main.calls.slice(0, main.calls.indexOf('whenReady'));
    expect(before).toEqual(expect.arrayContaining(['enableSandbox', 'registerSchemesAsPrivileged', 'singleInstanceLock']));
    expect(main.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it('drops the agent key from the environment so child processes cannot inherit it', () => {
    expect(process.env.VISUAL_ASSIST_AGENT_KEY).toBeUndefined();
  });

  it('opens one window on app://workstation/ with the hardened webPreferences and the bundled preload', () => {
    expect(main.windows).toHaveLength(1);
    const w = main.windows[0]!;
    expect(w.url).toBe('app://workstation/');
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
      webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, spellcheck: false,
    });
    expect(w.options.webPreferences.preload).toBe(join(dir, 'dist-electron', 'preload.cjs'));
  });

  it('registers exactly one IPC handler per contract channel', () => {
    expect([...main.ipc.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('answers the app top frame through the router, with a token the signaling server accepts', async () => {
    const r = await invoke('app:getSessionConfig', {});
    expect(r).toMatchObject({ ok: true, value: { host: 'electron', signalingUrl: 'http://127.0.0.1:7999' } });
    expect(verifyAgentToken(agentKey, r.value.agentToken)).toMatchObject({ ok: true, value: { sub: 'local-agent' } });
    expect(await invoke('audio:setPrefs', { inputId: 7 })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('runs the case database in its bundled worker thread (dist-electron/cases-data-worker.cjs)', async () => {
    expect(out.casesWorker).toBe(join(dir, 'dist-electron', 'cases-data-worker.cjs'));
    const created = await invoke('customers:create', { name: 'Ada', phones: ['+14155552671'] });
    expect(created).toMatchObject({ ok: true, value: { name: 'Ada', phones: ['+14155552671'] } });
    expect(await invoke('cases:screenPop', { ani: '(415) 555-2671' })).toMatchObject({ ok: true, value: { kind: 'known', customer: { name: 'Ada' } } });
    expect(await invoke('cases:get', { caseId: 404 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses subframes, foreign origins and vanished frames with forbidden_sender', async () => {
    for (const frame of [null, { url: 'https://evil.example/', parent: null }, { url: 'app://workstation/x', parent: appFrame }]) {
      expect(await invoke('audio:getPrefs', {}, frame)).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    }
  });

  it('serves the page over app:// with the CSP and refuses other paths and hosts', async () => {
    const ok: Response = await main.protocolHandler!(new Request('app://workstation/'));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<title>ws</title>');
    expect(ok.headers.get('content-security-policy')).toContain("connect-src 'self' http://127.0.0.1:7999 ws://127.0.0.1:7999");
    for (const url of ['app://workstation/secret.txt', 'app://workstation/assets/../../secret.txt', 'app://other/']) {
      expect((await main.protocolHandler!(new Request(url))).status, url).toBe(404);
    }
  });

  it('default-denies permissions: media for the app top frame only', () => {
    const ask = (permission: string, details: any) => new Promise((r) => main.perms.request!({}, permission, r, details));
    return Promise.all([
      expect(ask('media', { requestingUrl: 'app://workstation/', isMainFrame: true, mediaTypes: ['audio', 'video'] })).resolves.toBe(true),
      expect(ask('geolocation', { requestingUrl: 'app://workstation/', isMainFrame: true })).resolves.toBe(false),
      expect(ask('media', { requestingUrl: 'https://evil.example/', isMainFrame: true })).resolves.toBe(false),
    ]).then(() => {
      expect(main.perms.check!({}, 'notifications', 'app://workstation', { isMainFrame: true })).toBe(false);
      expect(main.perms.device!({ deviceType: 'usb', origin: 'app://workstation' })).toBe(false);
      // WebHID: a telephony headset for our own top frame, nothing else.
      const headset = { deviceId: 'h1', name: 'Headset', vendorId: 1, productId: 2, collections: [{ usagePage: 0x0b, usage: 5 }] };
      const keyboard = { deviceId: 'k1', name: 'Keyboard', vendorId: 1, productId: 3, collections: [{ usagePage: 0x01, usage: 6 }] };
      expect(main.perms.device!({ deviceType: 'hid', origin: 'app://workstation', device: headset })).toBe(true);
      expect(main.perms.device!({ deviceType: 'hid', origin: 'app://workstation', device: keyboard })).toBe(false);
      const appWc = main.windows[0]!.webContents!;
      expect(main.perms.check!(appWc, 'hid', 'app://workstation', { isMainFrame: true })).toBe(true);
      expect(main.perms.check!({ id: 99 }, 'hid', 'app://workstation', { isMainFrame: true })).toBe(false);
      expect(main.perms.check!(null, 'hid', 'app://workstation', { isMainFrame: true })).toBe(false);
      const pick = (frame: unknown, deviceList: unknown[]) => { let chosen: unknown = 'unset'; main.perms['select-hid-device']!({ preventDefault() {} }, { frame, deviceList }, (id: unknown) => { chosen = id; }); return chosen; };
      expect(pick({ url: 'app://workstation/', parent: null, wc: appWc }, [keyboard, headset])).toBe('h1');
      expect(pick({ url: 'app://workstation/', parent: {}, wc: appWc }, [headset])).toBeNull();
      expect(pick({ url: 'https://evil.example/', parent: null, wc: appWc }, [headset])).toBeNull();
      // Our origin in some other web contents (another window, devtools): refused.
      expect(pick({ url: 'app://workstation/', parent: null, wc: { id: 99 } }, [headset])).toBeNull();
      expect(pick(null, [headset])).toBeNull();
    });
  });

  it('locks navigation, denies new windows and webviews on every web contents', () => {
    const on = new Map<string, Fn>();
    let openHandler: Fn | undefined;
    const contents = { on: (ev: string, fn: Fn) => on.set(ev, fn), setWindowOpenHandler: (fn: Fn) => { openHandler = fn; } };
    main.appListeners.get('web-contents-created')!({}, contents);
    for (const ev of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      let prevented = false;
      on.get(ev)!({ url: 'https://evil.example/', preventDefault: () => { prevented = true; } });
      expect(prevented, ev).toBe(true);
      let preventedSame = false;
      on.get(ev)!({ url: 'app://workstation/#x', preventDefault: () => { preventedSame = true; } });
      expect(preventedSame, ev).toBe(false);
    }
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'https://github.com/help' })).toEqual({ action: 'deny' });
    expect(main.calls).toContain('openExternal:https://github.com/help');
    expect(main.calls).not.toContain('openExternal:https://evil.example/');
    let webview = false;
    on.get('will-attach-webview')!({ preventDefault: () => { webview = true; } });
    expect(webview).toBe(true);
  });
});

describe('Electron main shutdown', () => {
  it('closes every service before quitting', async () => {
    let prevented = false;
    main.appListeners.get('will-quit')!({ preventDefault: () => { prevented = true; } });
    expect(prevented).toBe(true);
    await expect.poll(() => main.calls.includes('quit'), { timeout: 10_000 }).toBe(true);
  });
});

describe('preload bundle (stand-in electron module)', () => {
  it('exposes only a frozen { invoke } and refuses channels outside the contract without touching IPC', async () => {
    const exposed = new Map<string, any>();
    const sent: string[] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (k: string, v: unknown) => exposed.set(k, v) },
      ipcRenderer: { invoke: async (ch: string) => { sent.push(ch); return { ok: true, value: ch }; } },
    };
    runCjs(out.preload, await readFile(out.preload, 'utf8'), electron);
    expect([...exposed.keys()]).toEqual(['workstation']);
    const api = exposed.get('workstation');
    expect(Object.keys(api)).toEqual(['invoke']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(await api.invoke('audio:getPrefs', {})).toEqual({ ok: true, value: 'audio:getPrefs' });
    expect(await api.invoke('shell:exec', { cmd: 'rm -rf /' })).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await api.invoke({ toString: () => 'audio:getPrefs' }, {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(sent).toEqual(['audio:getPrefs']);
  });

  it('turns an IPC failure into a typed result instead of a rejected promise', async () => {
    const exposed = new Map<string, any>();
    runCjs(out.preload, await readFile(out.preload, 'utf8'), {
      contextBridge: { exposeInMainWorld: (k: string, v: unknown) => exposed.set(k, v) },
      ipcRenderer: { invoke: async () => { throw new Error('No handler registered'); } },
    });
    expect(await exposed.get('workstation').invoke('audio:getPrefs', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
