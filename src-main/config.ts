/**
 * Workstation configuration: embedded defaults, overridden by environment
 * variables, then by explicit overrides (tests and the start script), and
 * validated with zod so a bad value fails at start with a readable message
 * instead of somewhere deep in a call.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { IceServer } from '../signaling-server/protocol';

export const DEFAULT_SIGNALING_URL = 'http://127.0.0.1:7800';
export const DEFAULT_WEB_HOST_PORT = 7801;

export const WorkstationConfig = z.object({
  /** Where the case cache, audio prefs and other local state live. */
  dataDir: z.string().min(1),
  /** Base URL of the signaling server (http/https; the ws URL is derived from it). */
  signalingUrl: z.url({ protocol: /^https?$/ }),
  agentId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_\-.:]+$/),
  agentName: z.string().min(1).max(120),
  locale: z.enum(['en', 'ja']),
  /** Port of the 127.0.0.1 web host (0 = any free port). */
  webHostPort: z.number().int().min(0).max(65535),
  /** Static ICE servers (STUN/TURN); TURN credentials minted by the server come through the session config. */
  iceServers: z.array(IceServer).max(8),
  /** Lifetime of agent tokens handed to the renderer. */
  agentTokenTtlSec: z.number().int().min(60).max(7 * 24 * 3600),
  /**
   * Sign-in with OpenID Connect (issue 12). Absent: no sign-in, the agent above
   * with service tokens (scripts, tests). `npm start` sets it to the embedded
   * provider of the signaling node it starts.
   */
  oidc: z.object({
    issuer: z.url({ protocol: /^https?$/ }),
    clientId: z.string().min(1).max(256),
    scope: z.string().max(1000).optional(),
    /** ID-token claim with the roles (default `roles`). */
    rolesClaim: z.string().min(1).max(128).optional(),
  }).optional(),
});
export type WorkstationConfig = z.infer<typeof WorkstationConfig>;

export const ENV = {
  dataDir: 'VISUAL_ASSIST_DATA',
  signalingUrl: 'VISUAL_ASSIST_SIGNALING_URL',
  agentId: 'VISUAL_ASSIST_AGENT_ID',
  agentName: 'VISUAL_ASSIST_AGENT_NAME',
  locale: 'VISUAL_ASSIST_LOCALE',
  webHostPort: 'VISUAL_ASSIST_WEB_PORT',
  oidcIssuer: 'VISUAL_ASSIST_OIDC_ISSUER',
  oidcClientId: 'VISUAL_ASSIST_OIDC_CLIENT_ID',
  oidcScope: 'VISUAL_ASSIST_OIDC_SCOPE',
  oidcRolesClaim: 'VISUAL_ASSIST_OIDC_ROLES_CLAIM',
} as const;

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[ENV.dataDir] || join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'visual-assist-workstation');
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Build the config from defaults + env + overrides; throws ConfigError naming every bad field. */
export function loadConfig(overrides: Partial<WorkstationConfig> = {}, env: NodeJS.ProcessEnv = process.env): WorkstationConfig {
  const fromEnv: Record<string, unknown> = {};
  if (env[ENV.signalingUrl]) fromEnv.signalingUrl = env[ENV.signalingUrl];
  if (env[ENV.agentId]) fromEnv.agentId = env[ENV.agentId];
  if (env[ENV.agentName]) fromEnv.agentName = env[ENV.agentName];
  if (env[ENV.locale]) fromEnv.locale = env[ENV.locale];
  if (env[ENV.webHostPort] !== undefined && env[ENV.webHostPort] !== '') fromEnv.webHostPort = Number(env[ENV.webHostPort]);
  if (env[ENV.oidcIssuer]) {
    fromEnv.oidc = {
      issuer: env[ENV.oidcIssuer], clientId: env[ENV.oidcClientId] || 'visual-assist-workstation',
      ...(env[ENV.oidcScope] ? { scope: env[ENV.oidcScope] } : {}), ...(env[ENV.oidcRolesClaim] ? { rolesClaim: env[ENV.oidcRolesClaim] } : {}),
    };
  }
  const merged = {
    dataDir: defaultDataDir(env),
    signalingUrl: DEFAULT_SIGNALING_URL,
    agentId: 'local-agent',
    agentName: 'Agent',
    locale: 'en',
    webHostPort: DEFAULT_WEB_HOST_PORT,
    iceServers: [],
    agentTokenTtlSec: 12 * 3600,
    ...fromEnv,
    ...stripUndefined(overrides),
  };
  const parsed = WorkstationConfig.safeParse(merged);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid workstation config: ${issues}`);
  }
  return parsed.data;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Origins the renderer may connect to for signaling: the http origin and its ws twin. */
export function signalingOrigins(signalingUrl: string): string[] {
  const u = new URL(signalingUrl);
  const ws = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return [u.origin, `${ws}//${u.host}`];
}
