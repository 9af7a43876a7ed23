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
import { createLogger, type Logger } from './log';
import { createAudioPrefsStore } from './audio/prefs-store';
import { createCaseService } from './cases/factory';
import { createOcrService } from './ocr/service';
import { createSessionConfigService, type IceServerSource, type MintAgentToken } from './app/session-config';
import type { ReportingEndpoint } from './reporting/sync';

export interface ServiceDeps {
  log?: Logger;
  /** Mints a signed agent token for the signaling server (from signaling-server/, passed in by the start script). */
  mintAgentToken?: MintAgentToken;
  /** Extra ICE servers (e.g. TURN with short-lived credentials). */
  iceServers?: IceServerSource;
  /**
   * Deliver case events to the reporting endpoint of the signaling node
   * (docs/KPIS.md), with the agent's token from `mintAgentToken`.
   */
  reporting?: { inboxIntervalMs?: number };
}

export function createServices(config: WorkstationConfig, deps: ServiceDeps = {}) {
  const log = deps.log ?? createLogger();
  const list = {
    audioPrefs: createAudioPrefsStore(config.dataDir, log.child('audio')),
    sessionConfig: createSessionConfigService(config, deps),
    cases: createCaseService(config, process.env, reportingEndpoint(config, deps)),
    ocr: createOcrService({ dataDir: config.dataDir, log: (m) => log.child('ocr').info(m) }),
  };
  return {
    config,
    log,
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

/** The reporting endpoint on the signaling node, when the host turned reporting on and can mint the agent's token. */
function reportingEndpoint(config: WorkstationConfig, deps: ServiceDeps): ReportingEndpoint | null {
  const mint = deps.mintAgentToken;
  if (!deps.reporting || !mint) return null;
  let cached: { token: string; until: number } | null = null;
  return {
    baseUrl: config.signalingUrl.replace(/\/$/, ''),
    ...(deps.reporting.inboxIntervalMs !== undefined ? { inboxIntervalMs: deps.reporting.inboxIntervalMs } : {}),
    // renewed at half its life, so a request never carries one about to expire
    getToken: async () => {
      if (cached && Date.now() < cached.until) return cached.token;
      const token = await mint(config.agentId, { name: config.agentName, ttlSec: config.agentTokenTtlSec });
      cached = { token, until: Date.now() + (config.agentTokenTtlSec * 1000) / 2 };
      return token;
    },
  };
}
