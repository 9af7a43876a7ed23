/**
 * fetch for main-process connections (CRM delivery, update feed outside
 * Electron): undici's fetch with a dispatcher picked per URL from the proxy
 * resolver, and the organisation's CAs added to the system's for TLS (to the
 * server and to an HTTPS proxy alike). Dispatchers are cached per proxy.
 */
import { Agent, ProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { caList } from './trust';
import { pickProxy, type ProxyResolver } from './proxy';

export type NetFetch = typeof fetch;

export function createNetFetch(opts: { resolveProxy: ProxyResolver; extraCas: readonly string[] }): NetFetch & { close(): Promise<void> } {
  const ca = caList(opts.extraCas);
  const dispatchers = new Map<string, Dispatcher>();
  const dispatcherFor = (proxy: string | null): Dispatcher => {
    const k = proxy ?? 'DIRECT';
    let d = dispatchers.get(k);
    if (!d) {
      d = proxy ? new ProxyAgent({ uri: proxy, requestTls: { ca }, proxyTls: { ca } }) : new Agent({ connect: { ca } });
      dispatchers.set(k, d);
    }
    return d;
  };
  const f = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const proxy = pickProxy(await opts.resolveProxy(url));
    return (await undiciFetch(url, { ...(init as object), dispatcher: dispatcherFor(proxy) } as Parameters<typeof undiciFetch>[1])) as unknown as Response;
  };
  return Object.assign(f as NetFetch, {
    async close() { await Promise.all([...dispatchers.values()].map((d) => d.close())); dispatchers.clear(); },
  });
}
