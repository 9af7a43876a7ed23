/**
 * In-process call environment for end-to-end tests and benchmarks:
 * the real signaling server + the real web-hosted workstation (same router
 * and services as Electron), both on 127.0.0.1 port 0, a temp data dir, and
 * a controllable clock for invite expiry. No Playwright imports here, so
 * bench/*.ts can use it too.
 *
 *   const env = await startCallEnv();            // { workstationUrl, signalingUrl, clock, close() }
 *   ... open env.workstationUrl in a page ...
 *   await env.close();
 *
 * Options: `signaling` (any SignalingOptions except secret/port/staticDir,
 * e.g. { inviteTtlSec, iceServers, limits }), `workstation` (config overrides).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openReportingStore } from '../../../signaling-server/reporting/sql-store';
import { startSignalingServer, type SignalingOptions, type SignalingServer } from '../../../signaling-server/server';
import { WORKSTATION_CLIENT_ID } from '../../../signaling-server/idp/provider';
import type { WorkstationConfig } from '../../../src-main/config';
import { createLogger } from '../../../src-main/log';
import { startWebWorkstation, type WebWorkstation } from '../../../src-main/web-host/workstation';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const STATIC_DIR = join(ROOT, 'dist/renderer');

export interface Clock {
  now(): number;
  /** Move the signaling server's clock forward (invite/room expiry) without waiting. */
  advance(ms: number): void;
}

export interface CallEnv {
  /** Open this in a page: the web host URL with its per-launch secret in the fragment. */
  workstationUrl: string;
  /** http://127.0.0.1:<port> of the signaling server (invite links point here). */
  signalingUrl: string;
  signaling: SignalingServer;
  web: WebWorkstation;
  clock: Clock;
  dataDir: string;
  /** Signaling log records (ev: 'join', 'resume', 'invite_created', ...), for assertions. */
  signalingLog: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface CallEnvOptions {
  signaling?: Omit<Partial<SignalingOptions>, 'secret' | 'port' | 'staticDir' | 'now' | 'log'>;
  workstation?: Partial<WorkstationConfig>;
  /** Address the signaling server listens on (default 127.0.0.1); the impairment test uses its veth's host side. */
  signalingHost?: string;
  /** Print server logs to stderr (debugging). */
  verbose?: boolean;
  /** Reporting on: a SQLite reporting store on the node, the workstation delivering to it and reading its inbox every `inboxIntervalMs`. */
  reporting?: { inboxIntervalMs?: number };
}

/** The pages must be built (npm run build:web); build once if they are missing. */
export function ensureBuilt(): void {
  if (existsSync(join(STATIC_DIR, 'app/index.html')) && existsSync(join(STATIC_DIR, 'customer/index.html')) && existsSync(join(STATIC_DIR, 'supervisor/index.html'))) return;
  const r = spawnSync('npx', ['vite', 'build', '--config', 'vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build:web failed; the e2e tests need the built pages');
}

export async function startCallEnv(opts: CallEnvOptions = {}): Promise<CallEnv> {
  ensureBuilt();
  let offset = 0;
  const clock: Clock = { now: () => Date.now() + offset, advance: (ms) => { offset += ms; } };
  const signalingLog: Array<Record<string, unknown>> = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'va-e2e-'));
  const reporting = opts.reporting ? { store: await openReportingStore(join(dataDir, 'reporting.sqlite')) } : undefined;
  const signaling = await startSignalingServer({
    ...opts.signaling,
    ...(reporting ? { reporting } : {}),
    secret: randomBytes(32).toString('base64url'),
    port: 0,
    host: opts.signalingHost ?? '127.0.0.1',
    staticDir: STATIC_DIR,
    now: clock.now,
    log: (rec) => {
      signalingLog.push(rec);
      if (opts.verbose) process.stderr.write(`[signaling] ${JSON.stringify(rec)}\n`);
    },
  });
  let web: WebWorkstation;
  try {
    web = await startWebWorkstation({
      // a node with a sign-in provider: the workstation signs in there (the page shows its sign-in first)
      config: { dataDir, webHostPort: 0, signalingUrl: signaling.url, ...(signaling.idp ? { oidc: { issuer: signaling.idp.issuer, clientId: WORKSTATION_CLIENT_ID } } : {}), ...opts.workstation },
      deps: { mintAgentToken: (id, o) => signaling.mintAgentToken(id, o), ...(opts.reporting ? { reporting: opts.reporting } : {}) },
      staticDir: STATIC_DIR,
      log: opts.verbose ? createLogger({ level: 'debug' }) : createLogger({ level: 'error', sink: () => {} }),
    });
  } catch (err) {
    await signaling.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    workstationUrl: web.webHost.workstationUrl,
    signalingUrl: signaling.url,
    signaling,
    web,
    clock,
    dataDir,
    signalingLog,
    async close() {
      await Promise.allSettled([web.close(), signaling.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
