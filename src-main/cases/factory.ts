import { join } from 'node:path';
import type { caseChannels } from '../../src-preload/contract/cases';
import type { CrmEndpoint } from '../outbox/deliverer';
import type { PolicySources } from '../policy/resolve';
import { CaseService } from './service';
import type { ReportingEndpoint } from '../reporting/sync';

export type CaseChannel = keyof typeof caseChannels;

/** Environment knobs the workstation config does not carry (yet). */
export const CASES_ENV = {
  crmUrl: 'VISUAL_ASSIST_CRM_URL',
  crmToken: 'VISUAL_ASSIST_CRM_TOKEN',
  policy: 'VISUAL_ASSIST_POLICY',
  region: 'VISUAL_ASSIST_REGION',
  /** Comma-separated fingerprints of other workstations' bundle-signing keys to trust on import. */
  trustedBundleKeys: 'VISUAL_ASSIST_TRUSTED_BUNDLE_KEYS',
} as const;

export interface CaseServiceHandle {
  /** The service, started on first use; if its database cannot be opened (schema_too_new, ...), each of its calls rejects with the reason. */
  get(): CaseService;
  close(): Promise<void>;
}

/**
 * Build the case service from the workstation config. Starting is lazy (the
 * database threads start on the first case call) and a cache that cannot be
 * opened, e.g. one from a newer app version, does not stop the rest of the
 * workstation from starting: every case call answers with the reason.
 */
export function createCaseService(config: { dataDir: string; agentId: string; locale: string }, env: NodeJS.ProcessEnv = process.env, currentAgent?: () => string | undefined, policySources?: PolicySources, net?: { fetch: typeof fetch; crmUrl?: string }, reporting: ReportingEndpoint | null = null): CaseServiceHandle {
  let svc: CaseService | null = null;
  let failure: Error | null = null;
  // The environment (development, tests) first, then the CrmUrl policy.
  const crmUrl = env[CASES_ENV.crmUrl] || net?.crmUrl;
  const crm: CrmEndpoint | null = crmUrl ? { url: crmUrl, ...(env[CASES_ENV.crmToken] ? { token: env[CASES_ENV.crmToken] } : {}) } : null;
  return {
    get() {
      if (svc) return svc;
      if (failure) throw failure;
      try {
        svc = new CaseService({
          dataDir: join(config.dataDir, 'cases'),
          agentId: config.agentId,
          ...(currentAgent ? { currentAgent } : {}),
          defaultRegion: env[CASES_ENV.region] || (config.locale === 'ja' ? 'JP' : 'US'),
          policyPath: env[CASES_ENV.policy] || join(config.dataDir, 'policy.json'),
          crm,
          trustedBundleKeys: (env[CASES_ENV.trustedBundleKeys] ?? '').split(',').map((k) => k.trim().toLowerCase()).filter((k) => /^[0-9a-f]{64}$/.test(k)),
          ...(policySources ? { policySources } : {}),
          ...(net ? { outboxDeps: { fetch: net.fetch } } : {}),
          reporting,
        });
        // Any failure to open (a locked file, a folder not there yet, a full disk) is worth another try on
        // the next call; only a cache written by a newer version stays the answer until the app is updated.
        const started = svc;
        started.ready.catch((err: { code?: string }) => {
          if (svc !== started) return;
          if (err?.code === 'schema_too_new') { failure = err as Error; return; }
          svc = null;
          void started.close().catch(() => undefined);
        });
        return svc;
      } catch (err) {
        if ((err as { code?: string })?.code === 'schema_too_new') failure = err as Error;
        throw err;
      }
    },
    async close() {
      await svc?.close();
      svc = null;
    },
  };
}
