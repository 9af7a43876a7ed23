/**
 * The whole web-hosted workstation in one call: services, handlers, router and
 * the HTTP server, wired the same way Electron's main process wires them.
 * The signaling server is not started here (services never import it); the
 * caller passes its token minter.
 */
import { resolve } from 'node:path';
import { loadConfig, type WorkstationConfig } from '../config';
import { createHandlers } from '../handlers';
import { createLogger, type Logger } from '../log';
import { createLogRing } from '../diagnostics/log-ring';
import { createRouter, type Router } from '../router';
import { createServices, type ServiceDeps, type Services } from '../services';
import { startWebHost, type WebHost } from './server';

export interface WebWorkstationOptions {
  /** Overrides on top of defaults + env (tests pass a temp dataDir and webHostPort 0). */
  config?: Partial<WorkstationConfig>;
  deps?: Omit<ServiceDeps, 'log'>;
  /** Built renderer; default <cwd>/dist/renderer. */
  staticDir?: string;
  secret?: string;
  log?: Logger;
}

export interface WebWorkstation {
  config: WorkstationConfig;
  services: Services;
  router: Router;
  webHost: WebHost;
  close(): Promise<void>;
}

export async function startWebWorkstation(opts: WebWorkstationOptions = {}): Promise<WebWorkstation> {
  const ring = opts.log ? null : createLogRing();
  const log = opts.log ?? createLogger({ sink: ring!.sink });
  const services = createServices(loadConfig(opts.config), { ...(ring ? { recentLogs: ring.records } : {}), ...opts.deps, log });
  // The config as managed policy shaped it (SignalingUrl, IdpIssuer...): the page's CSP must name the same server.
  const config = services.config;
  const router = createRouter(createHandlers(services), { log: log.child('router') });
  let webHost: WebHost;
  try {
    webHost = await startWebHost({
      router,
      staticDir: opts.staticDir ?? resolve(process.cwd(), 'dist', 'renderer'),
      signalingUrl: config.signalingUrl,
      port: config.webHostPort,
      ...(opts.secret ? { secret: opts.secret } : {}),
      log: log.child('web-host'),
      onAuthCallback: async (url) => { await services.auth.completeSignIn(url); },
    });
    services.signIn.web = { redirectUri: () => `${webHost.origin}/auth/callback` };
  } catch (err) {
    await services.close();
    throw err;
  }
  return {
    config,
    services,
    router,
    webHost,
    async close() {
      await webHost.close();
      await services.close();
    },
  };
}
