/**
 * Every main-process service, built once per launch from the config. Plain
 * Node modules only (no electron import) so the same services run in the
 * Electron main process, the web host and tests.
 *
 * To add a capability: one line in the list below (`myCap: createMyCap(...)`).
 * Anything in the list with a close() method is closed on shutdown, in reverse
 * order of creation.
 */
import type { WorkstationConfig } from './config';
import { createLogger, type LogRecord, type Logger } from './log';
import { createAudioPrefsStore } from './audio/prefs-store';
import { audioPolicySource } from './audio/policy-source';
import { createCaseService } from './cases/factory';
import { createCaseTransfer } from './handoff/case-transfer';
import { createOcrService } from './ocr/service';
import { readPolicyLayers } from './policy/sources';
import type { PolicySources } from './policy/resolve';
import { createSettingsService } from './settings/service';
import { configFromPolicy } from './policy/config';
import { createNetwork } from './network/policy';
import type { ProxyResolver } from './network/proxy';
import { createUpdateService, type UpdateService } from './update/service';
import { planUpdates } from './update/plan';
import { createSessionConfigService, type IceServerSource, type MintAgentToken } from './app/session-config';
import { createOidcAuth, createServiceAuth, type AuthService } from './auth/service';
import { createApprovalService } from './approvals/service';
import { ApprovalError } from './approvals/grant';
import type { GrantCheck } from './cases/handlers';
import type { SignInDriver } from './auth/handlers';
import { ApiFailure } from './router';
import type { ReportingEndpoint } from './reporting/sync';
import { join } from 'node:path';
import { loadOrCreateKey, type KeyWrap } from './ocr/originals/key';
import { SealedOriginals } from './ocr/originals/sealed-originals';

export interface ServiceDeps {
  log?: Logger;
  /** Mints a signed agent token for the signaling server (from signaling-server/, passed in by the start script). */
  mintAgentToken?: MintAgentToken;
  /** Extra ICE servers (e.g. TURN with short-lived credentials). */
  iceServers?: IceServerSource;
  /** Managed-policy layers; default: read from this machine's sources (registry, managed preferences, /etc/visual-assist/policy.json). */
  policy?: PolicySources;
  /** Electron: session.resolveProxy (system settings and PAC) for main's own connections. */
  resolveProxy?: ProxyResolver;
  /** Electron: the update service over electron-updater; elsewhere updates are off (no packaged app to update). */
  update?: UpdateService;
  /** Recent log records for diagnostics (a LogRing's records()); default: none kept. */
  recentLogs?: () => LogRecord[];
  appVersion?: string;
  /**
   * Deliver case events to the reporting endpoint of the signaling node
   * (docs/KPIS.md), with the signed-in agent's own access token.
   */
  reporting?: { inboxIntervalMs?: number };
  /** Electron: safeStorage, which wraps the key sealed originals are kept under; elsewhere the key file is raw (mode 0600). */
  keyWrap?: KeyWrap;
}

export function createServices(given: WorkstationConfig, deps: ServiceDeps = {}) {
  const log = deps.log ?? createLogger();
  const policy = deps.policy ?? readPolicyLayers({ dataDir: null });
  for (const i of policy.issues) log.warn('policy source problem', { origin: i.origin, name: i.name, message: i.message });
  const settings = createSettingsService(given.dataDir, policy);
  const effective = settings.effective();
  // SignalingUrl and the sign-in settings from policy win over the environment (policy/config.ts).
  const config = configFromPolicy(given, effective);
  const network = createNetwork(effective, deps.resolveProxy ? { systemResolver: deps.resolveProxy } : {});
  for (const p of network.cas.problems) log.warn('organisation CA certificate not used', p);
  const auth: AuthService = config.oidc
    ? createOidcAuth({ settings: config.oidc, log: (m, r) => log.child('auth').info(m, r), fetch: network.fetch })
    : createServiceAuth({ sub: config.agentId, name: config.agentName }, deps.mintAgentToken
      ? async () => deps.mintAgentToken!(config.agentId, { name: config.agentName, ttlSec: config.agentTokenTtlSec })
      : null);
  const cases = createCaseService(config, process.env, () => auth.user()?.sub, policy, { fetch: network.fetch, crmUrl: effective.get('crm.url') }, reportingEndpoint(config, deps, auth));
  const approvals = createApprovalService({ signalingUrl: config.signalingUrl, auth, cases, fetch: network.fetch });
  const checkGrant: GrantCheck = (grant, want) => approvals.verify(grant, want).catch((err: unknown) => {
    if (err instanceof ApprovalError) throw new ApiFailure(err.code, err.message);
    throw err;
  });
  // Originals of redacted stills, sealed; kept only while policy says so (read at each store).
  let originalsKey: Buffer | null = null;
  const originals = {
    keep: () => settings.effective().get('ocr.keepOriginals') === true,
    store: new SealedOriginals(join(config.dataDir, 'originals'), () => (originalsKey ??= loadOrCreateKey(join(config.dataDir, 'originals.key'), deps.keyWrap ?? null))),
  };
  const list = {
    network,
    settings,
    update: deps.update ?? createUpdateService(planUpdates({ mode: 'none', feedUrl: '', perMachine: false, isAdmin: false }), () => { throw new Error('no updater outside Electron'); }),
    audioPrefs: createAudioPrefsStore(config.dataDir, log.child('audio')),
    audioPolicy: audioPolicySource(config, process.env, policy),
    sessionConfig: createSessionConfigService(config, { ...deps, auth }),
    cases,
    // the case that travels with a hand-off (issue 13): bundles to and from the signaling server, under the signed-in user's token
    handoffCases: createCaseTransfer({ cases: () => cases.get(), dataDir: config.dataDir, signalingUrl: config.signalingUrl, token: () => auth.accessToken(), fetch: network.fetch }),
    ocr: createOcrService({ dataDir: config.dataDir, log: (m) => log.child('ocr').info(m) }),
  };
  return {
    config,
    log,
    auth,
    approvals,
    checkGrant,
    originals,
    /** How this host runs sign-in (the web host sets `web` once it knows its origin; Electron sets `electron`). */
    signIn: {} as SignInDriver,
    diagnostics: { appVersion: deps.appVersion ?? process.env.npm_package_version ?? '0.0.0', logs: deps.recentLogs ?? (() => []) },
    ...list,
    /** Close every service that has a close(); errors are logged, not thrown, so one bad close cannot block the rest. */
    async close(): Promise<void> {
      for (const [name, svc] of Object.entries(list).reverse()) {
        const close = (svc as { close?: () => unknown }).close;
        if (typeof close !== 'function') continue;
        try { await close.call(svc); } catch (err) { log.error('service close failed', { service: name, error: (err as Error).message }); }
      }
    },
  };
}

export type Services = ReturnType<typeof createServices>;

/**
 * The reporting endpoint on the signaling node, when the host turned reporting
 * on: events go with the signed-in agent's own access token (the IdP's, or
 * the service token in service mode), the one the node verifies for sockets.
 */
function reportingEndpoint(config: WorkstationConfig, deps: ServiceDeps, auth: AuthService): ReportingEndpoint | null {
  if (!deps.reporting) return null;
  return {
    baseUrl: config.signalingUrl.replace(/\/$/, ''),
    ...(deps.reporting.inboxIntervalMs !== undefined ? { inboxIntervalMs: deps.reporting.inboxIntervalMs } : {}),
    getToken: () => auth.accessToken(),
  };
}
