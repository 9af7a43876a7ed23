/**
 * `npm start` (after `npm run build:web`): the signaling server on its
 * embedded default (127.0.0.1:7800) and the workstation — Electron when its
 * binary is available, otherwise the 127.0.0.1 web host, with a one-line
 * reason. Prints `Workstation: <url>` and `Signaling: <url>`, then the log.
 *
 * `startWorkstation()` is the same thing as a function, for tests and the e2e
 * fixture (ports 0, temp data dir, in-process).
 *
 * Environment: VISUAL_ASSIST_HOST=auto|web|electron, VISUAL_ASSIST_SIGNALING_PORT,
 * VISUAL_ASSIST_WEB_PORT, VISUAL_ASSIST_DATA (see src-main/config.ts for the rest).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSignalingServer, type SignalingServer } from '../signaling-server/server';
import { defaultDataDir, type WorkstationConfig } from '../src-main/config';
import { openReportingStore } from '../signaling-server/reporting/sql-store';
import { findElectronBinary } from '../src-main/electron-binary';
import { createLogger, type Logger, type LogRecord, consoleSink } from '../src-main/log';
import { startWebWorkstation, type WebWorkstation } from '../src-main/web-host/workstation';
import { buildElectron } from './build-electron';

const root = resolve(import.meta.dirname, '..');
/** Demo users of the embedded provider (README: agent / demo-agent, supervisor / demo-supervisor, technician / demo-technician). */
export const DEMO_USERS_FILE = resolve(root, 'signaling-server', 'idp', 'demo-users.json');
/** The embedded provider's client id for the workstation (signaling-server/idp/provider.ts). */
const WORKSTATION_CLIENT_ID = 'visual-assist-workstation';

export interface StartOptions {
  /** auto: Electron if its binary exists, else the web host. */
  host?: 'auto' | 'web' | 'electron';
  signalingPort?: number;
  webPort?: number;
  dataDir?: string;
  /** Built renderer; default dist/renderer. */
  staticDir?: string;
  /** Signs agent tokens; default 32 random bytes per launch. */
  signalingSecret?: string;
  /**
   * oidc: users sign in on the signaling node's embedded OpenID provider
   * (`usersFile`, default the demo users); service: the configured agent
   * with service tokens, no sign-in (the default for tests that drive a call).
   */
  signIn?: 'oidc' | 'service';
  usersFile?: string;
  config?: Partial<WorkstationConfig>;
  log?: Logger;
  /** The signaling server's own JSON log lines; default into `log`. */
  signalingLog?: (rec: Record<string, unknown>) => void;
  /**
   * The reporting database of the signaling node: a file (default
   * `<dataDir>/reporting.sqlite`), a postgres:// URL, or 'off'.
   */
  reportingDb?: string;
  /** How often the workstation looks for supervisors' verdicts and survey answers (default 15 s). */
  reportingInboxMs?: number;
}

export interface StartedWorkstation {
  host: 'web' | 'electron';
  /** Why the web host was chosen (when it was chosen automatically). */
  reason?: string;
  /** Web: http://127.0.0.1:<port>/#k=<secret>; Electron: app://workstation/. */
  workstationUrl: string;
  signalingUrl: string;
  /** The web host's per-launch secret ('' in Electron). */
  secret: string;
  signaling: SignalingServer;
  web?: WebWorkstation;
  /** Resolves when the workstation ends by itself (the Electron window was closed). */
  exited: Promise<void>;
  close(): Promise<void>;
}

export async function startWorkstation(opts: StartOptions = {}): Promise<StartedWorkstation> {
  const log = opts.log ?? createLogger();
  const slog = log.child('signaling');
  const signalingSecret = opts.signalingSecret ?? randomBytes(32).toString('base64url');
  const reportingDb = opts.reportingDb ?? process.env.VISUAL_ASSIST_REPORTING_DB ?? join(opts.dataDir ?? defaultDataDir(), 'reporting.sqlite');
  if (reportingDb !== 'off' && !/^postgres/.test(reportingDb)) mkdirSync(dirname(reportingDb), { recursive: true });
  const reporting = reportingDb === 'off' ? undefined : { store: await openReportingStore(reportingDb) };
  const signaling = await startSignalingServer({
    ...(reporting ? { reporting } : {}),
    secret: signalingSecret,
    ...(opts.signalingPort !== undefined ? { port: opts.signalingPort } : {}),
    staticDir: opts.staticDir ?? resolve(root, 'dist', 'renderer'),
    ...(opts.signIn === 'oidc' ? { idp: { embedded: { users: opts.usersFile ?? DEMO_USERS_FILE } } } : {}),
    log: opts.signalingLog ?? ((rec) => slog.info(String(rec.msg ?? rec.ev ?? 'event'), rec)),
  });

  let host: 'web' | 'electron' = opts.host === 'electron' ? 'electron' : 'web';
  let reason: string | undefined;
  let binary: string | undefined;
  if ((opts.host ?? 'auto') !== 'web') {
    const found = findElectronBinary(process.env, root);
    if (found.ok) { host = 'electron'; binary = found.binary; }
    else if (opts.host === 'electron') { await signaling.close(); throw new Error(found.reason); }
    else reason = `${found.reason}: using the web host`;
  } else {
    reason = 'web host requested: using the web host';
  }

  const config: Partial<WorkstationConfig> = {
    ...opts.config,
    signalingUrl: signaling.url,
    ...(signaling.idp && !opts.config?.oidc ? { oidc: { issuer: signaling.idp.issuer, clientId: WORKSTATION_CLIENT_ID } } : {}),
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.webPort !== undefined ? { webHostPort: opts.webPort } : {}),
  };

  if (host === 'electron' && binary) {
    try {
      return await launchElectron(binary, signaling, signalingSecret, config, log);
    } catch (err) {
      await signaling.close();
      throw err;
    }
  }

  let web: WebWorkstation;
  try {
    web = await startWebWorkstation({
      config,
      deps: { mintAgentToken: (id, o) => signaling.mintAgentToken(id, o), ...(reporting ? { reporting: opts.reportingInboxMs !== undefined ? { inboxIntervalMs: opts.reportingInboxMs } : {} } : {}) },
      ...(opts.staticDir ? { staticDir: opts.staticDir } : { staticDir: resolve(root, 'dist', 'renderer') }),
      log,
    });
  } catch (err) {
    await signaling.close();
    throw err;
  }
  let closed: Promise<void> | undefined;
  return {
    host: 'web',
    ...(reason ? { reason } : {}),
    workstationUrl: web.webHost.workstationUrl,
    signalingUrl: signaling.url,
    secret: web.webHost.secret,
    signaling,
    web,
    exited: new Promise<void>(() => {}),
    close: () => (closed ??= Promise.allSettled([web.close(), signaling.close()]).then(() => undefined)),
  };
}

async function launchElectron(binary: string, signaling: SignalingServer, signalingSecret: string, config: Partial<WorkstationConfig>, log: Logger): Promise<StartedWorkstation> {
  await buildElectron();
  const env: NodeJS.ProcessEnv = { ...process.env, VISUAL_ASSIST_SIGNALING_URL: signaling.url, VISUAL_ASSIST_AGENT_KEY: signalingSecret };
  if (config.oidc) { env.VISUAL_ASSIST_OIDC_ISSUER = config.oidc.issuer; env.VISUAL_ASSIST_OIDC_CLIENT_ID = config.oidc.clientId; }
  if (config.dataDir) env.VISUAL_ASSIST_DATA = config.dataDir;
  const child: ChildProcess = spawn(binary, [root], { stdio: ['ignore', 'inherit', 'inherit'], env });
  const exited = new Promise<void>((done) => child.once('exit', (code, sig) => { log.info('Electron exited', { code, signal: sig }); done(); }));
  let closed: Promise<void> | undefined;
  return {
    host: 'electron',
    workstationUrl: 'app://workstation/',
    signalingUrl: signaling.url,
    secret: '',
    signaling,
    exited,
    close: () => (closed ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      await signaling.close();
    })()),
  };
}

function envPort(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number (0-65535), got ${JSON.stringify(v)}`);
  return n;
}

async function main(): Promise<void> {
  // Hold log lines until the two URL lines are out, so they come first.
  const held: LogRecord[] = [];
  let holding = true;
  const log = createLogger({ sink: (r) => (holding ? held.push(r) : consoleSink(r)) });
  const hostEnv = process.env.VISUAL_ASSIST_HOST ?? 'auto';
  if (hostEnv !== 'auto' && hostEnv !== 'web' && hostEnv !== 'electron') throw new Error('VISUAL_ASSIST_HOST must be auto, web or electron');

  const signalingPort = envPort('VISUAL_ASSIST_SIGNALING_PORT');
  const webPort = envPort('VISUAL_ASSIST_WEB_PORT');
  const signInEnv = process.env.VISUAL_ASSIST_SIGN_IN ?? 'oidc';
  if (signInEnv !== 'oidc' && signInEnv !== 'service') throw new Error('VISUAL_ASSIST_SIGN_IN must be oidc or service');
  const started = await startWorkstation({
    host: hostEnv,
    signIn: signInEnv,
    ...(process.env.VISUAL_ASSIST_USERS ? { usersFile: process.env.VISUAL_ASSIST_USERS } : {}),
    ...(signalingPort !== undefined ? { signalingPort } : {}),
    ...(webPort !== undefined ? { webPort } : {}),
    log,
  });
  if (started.reason) process.stdout.write(`${started.reason}\n`);
  // one write: a reader waiting for these lines gets them together
  const signInLine = started.signaling.idp?.embedded && !process.env.VISUAL_ASSIST_USERS ? `Sign-in: ${started.signaling.idp.issuer} (demo users: agent / demo-agent, supervisor / demo-supervisor; see README)\n` : '';
  process.stdout.write(`Workstation: ${started.workstationUrl}\nSignaling: ${started.signalingUrl}\n${signInLine}`);
  holding = false;
  for (const r of held.splice(0)) consoleSink(r);

  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { why });
    const force = setTimeout(() => process.exit(1), 8000);
    force.unref();
    started.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  void started.exited.then(() => stop('workstation window closed'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`start failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
