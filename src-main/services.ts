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
import { createCaseTransfer } from './handoff/case-transfer';
import { createOcrService } from './ocr/service';
import { createSessionConfigService, type IceServerSource, type MintAgentToken } from './app/session-config';

export interface ServiceDeps {
  log?: Logger;
  /** Mints a signed agent token for the signaling server (from signaling-server/, passed in by the start script). */
  mintAgentToken?: MintAgentToken;
  /** Extra ICE servers (e.g. TURN with short-lived credentials). */
  iceServers?: IceServerSource;
}

export function createServices(config: WorkstationConfig, deps: ServiceDeps = {}) {
  const log = deps.log ?? createLogger();
  const sessionConfig = createSessionConfigService(config, deps);
  const cases = createCaseService(config);
  const list = {
    audioPrefs: createAudioPrefsStore(config.dataDir, log.child('audio')),
    sessionConfig,
    cases,
    // the case that travels with a hand-off (issue 13): bundles to and from the signaling server
    handoffCases: createCaseTransfer({ cases: () => cases.get(), dataDir: config.dataDir, signalingUrl: config.signalingUrl, token: async () => (await sessionConfig.get('web')).agentToken }),
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
