/**
 * The network layer as policy sets it: one proxy resolver and one CA list
 * for main's own connections. In Electron the glue passes a resolver backed
 * by session.resolveProxy (system settings, WPAD, PAC); elsewhere `system`
 * falls back to the proxy environment variables and `pac` to them too
 * (evaluating PAC scripts needs Chromium).
 */
import type { EffectivePolicy } from '../policy/resolve';
import { createNetFetch, type NetFetch } from './fetch';
import { directResolver, envProxyResolver, fixedProxyResolver, type ProxyResolver } from './proxy';
import { loadExtraCas, type LoadedCas } from './trust';

export interface Network {
  fetch: NetFetch;
  cas: LoadedCas;
  close(): Promise<void>;
}

export function createNetwork(eff: EffectivePolicy, opts: { systemResolver?: ProxyResolver; env?: NodeJS.ProcessEnv } = {}): Network {
  const mode = eff.get('network.proxyMode');
  const server = eff.get('network.proxyServer');
  const resolveProxy: ProxyResolver =
    mode === 'direct' ? directResolver
      : mode === 'fixed' && server ? fixedProxyResolver(server, eff.get('network.proxyBypass'))
        : opts.systemResolver ?? envProxyResolver(opts.env);
  const cas = loadExtraCas(eff.get('network.extraCaCertificates'));
  const f = createNetFetch({ resolveProxy, extraCas: cas.pems });
  return { fetch: f, cas, close: () => f.close() };
}
