/**
 * Electron main process: hardening first, then the same services, handlers
 * and router as the web host, exposed over IPC. Launched by scripts/start.ts
 * (which also runs the signaling server and hands over its URL and the agent
 * token key) or by a packaged build. See docs/SECURITY.md.
 */
import { app, BrowserWindow, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { mintAgentToken } from '../../signaling-server/auth';
import { loadConfig } from '../config';
import { createHandlers } from '../handlers';
import { createLogger, type LogLevel } from '../log';
import { createRouter } from '../router';
import { createServices, type Services } from '../services';
import { loopbackSignIn } from '../auth/loopback';
import { APP_ENTRY_URL } from '../security/app-origin';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { registerIpc } from './ipc';
import { installPermissionHandlers } from './permissions';
import { handleCommonWindowEvents } from './windows';
import { applyNetworkPolicy, createElectronUpdateService } from './managed';
import { readPolicyLayers } from '../policy/sources';
import { createSettingsService } from '../settings/service';
import { configFromPolicy } from '../policy/config';
import { loadExtraCas } from '../network/trust';
import { createLogRing } from '../diagnostics/log-ring';

// Recent log lines are kept in memory for "Collect diagnostics" (and still printed),
// at the level the LogLevel policy sets once it is read (info until then).
const logRing = createLogRing();
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let minLevel: LogLevel = 'info';
const log = createLogger({ scope: 'electron', level: 'debug', sink: (r) => { if (LEVEL_ORDER[r.level] >= LEVEL_ORDER[minLevel]) logRing.sink(r); } });

// The key that signs agent tokens for our own signaling server. Read once and
// removed from the environment so child processes never inherit it.
const agentKey = process.env.VISUAL_ASSIST_AGENT_KEY;
delete process.env.VISUAL_ASSIST_AGENT_KEY;

// Every renderer sandboxed, before anything else runs.
app.enableSandbox();
registerAppScheme();

let services: Services | undefined;
let mainWindow: BrowserWindow | null = null;

function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Visual Assist Workstation',
    backgroundColor: '#101418',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => { mainWindow = null; });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

async function start(): Promise<void> {
  // Managed policy first: it may set the signaling URL, the proxy, the CAs and the update mode.
  const policy = readPolicyLayers({ dataDir: null });
  const preliminary = loadConfig();
  const eff = createSettingsService(preliminary.dataDir, policy).effective();
  minLevel = eff.get('log.level');
  const config = configFromPolicy(preliminary, eff);
  const resolveProxy = await applyNetworkPolicy(session.defaultSession, eff, loadExtraCas(eff.get('network.extraCaCertificates')).pems, log.child('network'));
  const update = createElectronUpdateService(eff, log.child('update'));
  services = createServices(config, {
    log,
    policy,
    resolveProxy,
    update,
    recentLogs: logRing.records,
    appVersion: app.getVersion(),
    // case events to the signaling node's reporting endpoint, with the agent's sign-in token
    ...(config.oidc || agentKey ? { reporting: {} } : {}),
    // The key sealed originals are kept under, wrapped by the OS keychain (DPAPI, Keychain, libsecret) where there is one.
    ...(safeStorage.isEncryptionAvailable() ? { keyWrap: { wrap: (k: Buffer) => safeStorage.encryptString(k.toString('base64')), unwrap: (b: Buffer) => Buffer.from(safeStorage.decryptString(b), 'base64') } } : {}),
    ...(agentKey ? { mintAgentToken: (id: string, o: { name: string; ttlSec: number }) => mintAgentToken(agentKey, id, o) } : {}),
  });
  // Sign-in in the system browser with a loopback redirect (RFC 8252); only http(s) URLs are opened.
  services.signIn.electron = (auth) => loopbackSignIn(auth, async (url) => {
    if (!/^https?:\/\//.test(url)) throw new Error('refusing to open a non-web sign-in URL');
    await shell.openExternal(url);
  });
  const router = createRouter(createHandlers(services), { log: log.child('router') });

  installPermissionHandlers(session.defaultSession, log.child('permissions'), (wc) => !!wc && !!mainWindow && wc === mainWindow.webContents);
  serveAppProtocol(join(app.getAppPath(), 'dist', 'renderer'), config.signalingUrl);
  registerIpc(router, log.child('ipc'));
  mainWindow = createMainWindow();
  void update.start();
}

if (!app.requestSingleInstanceLock()) {
  // A second launch focuses the first window instead of opening a second case cache writer.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => handleCommonWindowEvents(contents, log.child('window')));
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => { if (services && !mainWindow) mainWindow = createMainWindow(); });
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing || !services) return;
    closing = true;
    event.preventDefault();
    void services.close().finally(() => app.quit());
  });
  app.whenReady().then(start).catch((err: unknown) => {
    log.error('startup failed', { error: err instanceof Error ? err.message : String(err) });
    app.exit(1);
  });
}
