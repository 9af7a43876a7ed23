/**
 * What the renderer needs to start a call: where the signaling server is and a
 * freshly minted agent token. The token minter is injected (the start script
 * passes the signaling server's), so this module never imports the server and
 * runs unchanged in Electron, the web host and tests.
 */
import type { IceServer } from '../../signaling-server/protocol';
import type { WorkstationConfig } from '../config';
import { AuthError, type AuthService } from '../auth/service';
import { ApiFailure } from '../router';

export type MintAgentToken = (agentId: string, opts: { name: string; ttlSec: number }) => string | Promise<string>;
export type IceServerSource = () => IceServer[] | Promise<IceServer[]>;

export interface SessionConfig {
  agentId: string;
  displayName: string;
  signalingUrl: string;
  agentToken: string;
  iceServers: IceServer[];
  host: 'electron' | 'web';
  locale: string;
}

export interface SessionConfigService {
  get(host: 'electron' | 'web'): Promise<SessionConfig>;
}

export function createSessionConfigService(
  config: WorkstationConfig,
  deps: { mintAgentToken?: MintAgentToken; iceServers?: IceServerSource; auth?: AuthService },
): SessionConfigService {
  return {
    async get(host) {
      // The signed-in user (or, without an IdP, the configured agent) and a current token for the socket.
      let agentId = config.agentId;
      let displayName = config.agentName;
      let agentToken: string;
      if (deps.auth) {
        const user = deps.auth.user();
        if (!user) throw new ApiFailure('unauthorized', 'sign in first');
        agentId = user.sub;
        displayName = user.name;
        try {
          agentToken = await deps.auth.accessToken();
        } catch (err) {
          if (err instanceof AuthError) throw new ApiFailure(err.code === 'signed_out' ? 'unauthorized' : err.code, err.message);
          throw err;
        }
      } else {
        if (!deps.mintAgentToken) {
          // Surfaced to the renderer as 'internal' by the router; the log says why.
          throw new Error('no agent token minter configured (start the workstation with scripts/start.ts)');
        }
        agentToken = await deps.mintAgentToken(config.agentId, { name: config.agentName, ttlSec: config.agentTokenTtlSec });
      }
      const extra = deps.iceServers ? await deps.iceServers() : [];
      return {
        agentId,
        displayName,
        signalingUrl: config.signalingUrl,
        agentToken,
        iceServers: [...config.iceServers, ...extra],
        host,
        locale: config.locale,
      };
    },
  };
}
