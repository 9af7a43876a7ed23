/**
 * Which proxy a URL goes through, in the PAC answer format Chromium uses
 * ("PROXY host:port; DIRECT"). One resolver per ProxyMode policy:
 *  - system: Electron's session.resolveProxy (the OS settings, WPAD and PAC),
 *    or, outside Electron, the HTTPS_PROXY/HTTP_PROXY/NO_PROXY variables;
 *  - pac: Electron after session.setProxy({ mode: 'pac_script' }), then resolveProxy;
 *  - fixed: ProxyServer for every host except ProxyBypassList;
 *  - direct: never a proxy.
 * Node-side requests from main (CRM delivery) route through netFetch below,
 * so they take the same path as the renderer's Chromium connections.
 */
export type ProxyResolver = (url: string) => Promise<string>;

/** The first usable entry of a PAC answer: a proxy URL, or null for DIRECT. SOCKS entries are skipped (unsupported in Node fetch). */
export function pickProxy(pac: string): string | null {
  for (const raw of pac.split(';')) {
    const [kind, hostPort] = raw.trim().split(/\s+/);
    const k = (kind ?? '').toUpperCase();
    if (k === 'DIRECT') return null;
    if ((k === 'PROXY' || k === 'HTTP') && hostPort) return `http://${hostPort}`;
    if (k === 'HTTPS' && hostPort) return `https://${hostPort}`;
  }
  return null;
}

/** Does a host match a bypass list ("localhost,*.corp.example,.internal,10.0.0.1")? `<local>` means dotless host names. */
export function bypassed(host: string, list: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of list.split(/[,;\s]+/)) {
    const e = raw.trim().toLowerCase();
    if (!e) continue;
    if (e === '*') return true;
    if (e === '<local>') { if (!h.includes('.')) return true; continue; }
    const bare = e.replace(/:\d+$/, '');
    if (bare.startsWith('*.')) { if (h.endsWith(bare.slice(1))) return true; continue; }
    if (bare.startsWith('.')) { if (h.endsWith(bare) || h === bare.slice(1)) return true; continue; }
    if (h === bare) return true;
  }
  return false;
}

export function fixedProxyResolver(server: string, bypass: string): ProxyResolver {
  const u = new URL(server);
  const entry = `${u.protocol === 'https:' ? 'HTTPS' : 'PROXY'} ${u.host}`;
  return async (url) => (bypassed(new URL(url).hostname, `${bypass},localhost,127.0.0.1,::1`) ? 'DIRECT' : entry);
}

/** Outside Electron: the conventional environment variables stand in for the system settings. */
export function envProxyResolver(env: NodeJS.ProcessEnv = process.env): ProxyResolver {
  return async (url) => {
    const u = new URL(url);
    const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
    if (bypassed(u.hostname, `${noProxy},localhost,127.0.0.1,::1`)) return 'DIRECT';
    const p = u.protocol === 'https:' || u.protocol === 'wss:' ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
    if (!p) return 'DIRECT';
    const pu = new URL(p);
    return `${pu.protocol === 'https:' ? 'HTTPS' : 'PROXY'} ${pu.host}`;
  };
}

export const directResolver: ProxyResolver = async () => 'DIRECT';

/** Electron's session.setProxy config for a ProxyMode policy (the renderer's connections). */
export function electronProxyConfig(p: { mode: 'system' | 'direct' | 'fixed' | 'pac'; server: string; pacUrl: string; bypass: string }):
  { mode: 'system' } | { mode: 'direct' } | { mode: 'fixed_servers'; proxyRules: string; proxyBypassRules: string } | { mode: 'pac_script'; pacScript: string } {
  if (p.mode === 'direct') return { mode: 'direct' };
  if (p.mode === 'fixed' && p.server) return { mode: 'fixed_servers', proxyRules: new URL(p.server).host, proxyBypassRules: [p.bypass, '<local>'].filter(Boolean).join(',') };
  if (p.mode === 'pac' && p.pacUrl) return { mode: 'pac_script', pacScript: p.pacUrl };
  return { mode: 'system' };
}
