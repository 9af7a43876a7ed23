/**
 * The organisation's root CA and proxy, for real: a test CA made with
 * openssl signs a local TLS server's certificate (crm.test), a local HTTP
 * CONNECT proxy records what goes through it, and main's netFetch must trust
 * the CA only when policy lists it, and go through the proxy unless bypassed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetFetch } from '../../../src-main/network/fetch';
import { bypassed, directResolver, electronProxyConfig, envProxyResolver, fixedProxyResolver, pickProxy } from '../../../src-main/network/proxy';
import { createNetwork } from '../../../src-main/network/policy';
import { resolvePolicy } from '../../../src-main/policy/resolve';
import { chainVerifies, loadExtraCas } from '../../../src-main/network/trust';
import { loadConfig } from '../../../src-main/config';
import { createLogger } from '../../../src-main/log';
import { createServices } from '../../../src-main/services';

const dir = mkdtempSync(join(tmpdir(), 'org-ca-'));
const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
function makeCa(name: string) {
  ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}
makeCa('Corp Root CA');
makeCa('Other CA');
writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:crm.test,DNS:signal.test,DNS:idp.test,DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=crm.test');
ossl('x509', '-req', '-in', 'server.csr', '-CA', 'Corp Root CA.pem', '-CAkey', 'Corp Root CA.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
const caFile = join(dir, 'Corp Root CA.pem');

let tlsPort = 0;
let tlsServer: Server;
let proxy: Server;
let proxyPort = 0;
const connects: string[] = [];
const seen: string[] = [];

beforeAll(async () => {
  tlsServer = createHttpsServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, (req, res) => {
    seen.push(`${req.headers.host} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, path: req.url }));
  });
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  tlsPort = (tlsServer.address() as AddressInfo).port;
  // A CONNECT proxy that resolves every name to 127.0.0.1 (crm.test exists only here).
  proxy = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client, head) => {
    connects.push(req.url ?? '');
    const port = Number((req.url ?? '').split(':').pop());
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyPort = (proxy.address() as AddressInfo).port;
});
afterAll(async () => {
  tlsServer.closeAllConnections();
  proxy.closeAllConnections();
  await Promise.all([new Promise((r) => tlsServer.close(r)), new Promise((r) => proxy.close(r))]);
});

describe('organisation root certificates', () => {
  it('loads CA certificates from the policy-listed files and reports what it cannot use', () => {
    const { pems, problems } = loadExtraCas([caFile, join(dir, 'server.pem'), join(dir, 'missing.pem')]);
    expect(pems).toHaveLength(1);
    expect(problems.map((p) => p.file)).toEqual([join(dir, 'server.pem'), join(dir, 'missing.pem')]);
    expect(problems[0]!.message).toMatch(/not a CA/);
  });

  it('a server signed by the organisation CA is refused without it and trusted with it', async () => {
    const url = `https://127.0.0.1:${tlsPort}/crm/cases`;
    const plain = createNetFetch({ resolveProxy: directResolver, extraCas: [] });
    await expect(plain(url)).rejects.toThrow();
    await plain.close();
    const withOrg = createNetFetch({ resolveProxy: directResolver, extraCas: loadExtraCas([caFile]).pems });
    const res = await withOrg(url, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, path: '/crm/cases' });
    await withOrg.close();
  });

  it('the chain check used for Chromium accepts the organisation chain for its host only', () => {
    const leaf = readFileSync(join(dir, 'server.pem'), 'utf8');
    const ca = readFileSync(caFile, 'utf8');
    expect(chainVerifies([leaf], 'crm.test', [ca])).toBe(true);
    expect(chainVerifies([leaf, ca], 'crm.test', [ca])).toBe(true);
    expect(chainVerifies([leaf], 'evil.example', [ca])).toBe(false);
    expect(chainVerifies([leaf], 'crm.test', [readFileSync(join(dir, 'Other CA.pem'), 'utf8')])).toBe(false);
    expect(chainVerifies([leaf], 'crm.test', [ca], new Date(Date.now() + 3 * 86400_000))).toBe(false);
  });
});

describe('proxy', () => {
  it('fixed proxy: HTTPS to the CRM goes through CONNECT, with the org CA trusted end to end', async () => {
    connects.length = 0;
    const f = createNetFetch({ resolveProxy: fixedProxyResolver(`http://127.0.0.1:${proxyPort}`, ''), extraCas: loadExtraCas([caFile]).pems });
    const res = await f(`https://crm.test:${tlsPort}/crm/cases`);
    expect(res.status).toBe(200);
    expect(connects).toEqual([`crm.test:${tlsPort}`]);
    await f.close();
  });

  it('bypass list and environment proxy settings are honoured', async () => {
    connects.length = 0;
    const f = createNetFetch({ resolveProxy: fixedProxyResolver(`http://127.0.0.1:${proxyPort}`, '*.test'), extraCas: loadExtraCas([caFile]).pems });
    await expect(f(`https://crm.test:${tlsPort}/`)).rejects.toThrow(); // bypassed: direct, and crm.test does not resolve here
    expect(connects).toEqual([]);
    await f.close();
    const env = envProxyResolver({ HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`, NO_PROXY: 'intranet.example' });
    expect(await env(`https://crm.test/`)).toBe(`PROXY 127.0.0.1:${proxyPort}`);
    expect(await env('https://intranet.example/')).toBe('DIRECT');
    expect(await env('http://localhost:1/')).toBe('DIRECT');
    expect(pickProxy('SOCKS5 s:1080; PROXY p:3128; DIRECT')).toBe('http://p:3128');
    expect(pickProxy('DIRECT')).toBeNull();
    expect(bypassed('build', '<local>')).toBe(true);
    expect(bypassed('a.corp.example', '.corp.example')).toBe(true);
    expect(bypassed('corp.example.evil', '*.corp.example')).toBe(false);
  });
});

describe('main\'s own connections follow the proxy and CA policy', () => {
  // signal.test and idp.test exist only behind the proxy, and only the organisation CA vouches for them:
  // a request that skipped the policy's proxy or CA list would fail before reaching the server.
  const policy = (extra: Record<string, unknown> = {}) => ({
    layers: [{ level: 'machine' as const, origin: '/etc/visual-assist/policy.json', keyedBy: 'policyName' as const, values: { ProxyMode: 'fixed', ProxyServer: `http://127.0.0.1:${proxyPort}`, ExtraCaCertificates: [caFile], ...extra } }],
    issues: [],
  });

  it('approvals, the approval key set and hand-off bundles reach the signaling server through the proxy, trusting the org CA', async () => {
    connects.length = 0; seen.length = 0;
    const data = mkdtempSync(join(tmpdir(), 'net-services-'));
    const s = createServices(loadConfig({ dataDir: data, webHostPort: 0, signalingUrl: `https://signal.test:${tlsPort}` }, {}), {
      log: createLogger({ sink: () => {} }), policy: policy(), mintAgentToken: async () => 'agent-token',
    });
    try {
      await s.approvals.pending().catch(() => undefined);
      await s.handoffCases.receive('h-1').catch(() => undefined);
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      await s.approvals.verify(`${b64({ alg: 'EdDSA', kid: 'k1' })}.${b64({ sub: 'x' })}.${b64('sig')}`, { caseId: 1, amountMinor: 1, currency: 'USD', agentId: 'a', workstationId: 'w' } as never).catch(() => undefined);
      expect(new Set(connects)).toEqual(new Set([`signal.test:${tlsPort}`]));
      const paths = seen.map((x) => x.split(' ')[1]!);
      expect(paths.some((p) => p.startsWith('/approvals'))).toBe(true);
      expect(paths).toContain('/handoff/h-1/case');
      expect(paths.some((p) => p.includes('jwks'))).toBe(true);
    } finally { await s.close(); }
  });

  it('sign-in discovery at the identity provider goes through the proxy too', async () => {
    connects.length = 0; seen.length = 0;
    const data = mkdtempSync(join(tmpdir(), 'net-idp-'));
    const s = createServices(loadConfig({ dataDir: data, webHostPort: 0, oidc: { issuer: `https://idp.test:${tlsPort}/realms/agents`, clientId: 'visual-assist' } }, {}), {
      log: createLogger({ sink: () => {} }), policy: policy(),
    });
    try {
      // The stub answers with no discovery document, so sign-in fails, but only after the request went the policy's way.
      await expect(s.auth.beginSignIn('http://127.0.0.1:1/cb')).rejects.toThrow(/identity provider/);
      expect(connects).toEqual([`idp.test:${tlsPort}`]);
      expect(seen).toEqual([`idp.test:${tlsPort} /realms/agents/.well-known/openid-configuration`]);
    } finally { await s.close(); }
  });
});

describe('ProxyMode policy', () => {
  const eff = (values: Record<string, unknown>) => resolvePolicy([{ level: 'machine', origin: 'HKLM\\Software\\Policies\\VisualAssist\\Workstation', keyedBy: 'policyName', values: { ExtraCaCertificates: [caFile], ...values } }]);

  it('maps to Chromium\'s session proxy config (the renderer\'s connections)', () => {
    expect(electronProxyConfig({ mode: 'pac', server: '', pacUrl: 'https://wpad.corp.example/proxy.pac', bypass: '' })).toEqual({ mode: 'pac_script', pacScript: 'https://wpad.corp.example/proxy.pac' });
    expect(electronProxyConfig({ mode: 'fixed', server: 'http://proxy.corp.example:8080', pacUrl: '', bypass: '*.corp.example' })).toEqual({ mode: 'fixed_servers', proxyRules: 'proxy.corp.example:8080', proxyBypassRules: '*.corp.example,<local>' });
    expect(electronProxyConfig({ mode: 'direct', server: '', pacUrl: '', bypass: '' })).toEqual({ mode: 'direct' });
    expect(electronProxyConfig({ mode: 'system', server: '', pacUrl: '', bypass: '' })).toEqual({ mode: 'system' });
  });

  it('pac/system: main\'s requests take the proxy the session\'s PAC answer names', async () => {
    connects.length = 0;
    const asked: string[] = [];
    // In Electron this resolver is session.resolveProxy after setProxy({ mode: 'pac_script' }).
    const net = createNetwork(eff({ ProxyMode: 'pac', ProxyPacUrl: 'https://wpad.corp.example/proxy.pac' }), { systemResolver: async (url) => { asked.push(url); return `PROXY 127.0.0.1:${proxyPort}; DIRECT`; } });
    expect((await net.fetch(`https://crm.test:${tlsPort}/crm/cases`)).status).toBe(200);
    expect(asked).toEqual([`https://crm.test:${tlsPort}/crm/cases`]);
    expect(connects).toEqual([`crm.test:${tlsPort}`]);
    await net.close();
  });

  it('direct: no proxy even when the environment names one (system mode follows it)', async () => {
    const env = { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` };
    connects.length = 0;
    const viaEnv = createNetwork(eff({ ProxyMode: 'system' }), { env });
    expect((await viaEnv.fetch(`https://crm.test:${tlsPort}/x`)).status).toBe(200);
    expect(connects).toEqual([`crm.test:${tlsPort}`]);
    await viaEnv.close();
    connects.length = 0;
    const direct = createNetwork(eff({ ProxyMode: 'direct' }), { env });
    await expect(direct.fetch(`https://crm.test:${tlsPort}/x`)).rejects.toThrow(); // crm.test resolves only behind the proxy
    expect(connects).toEqual([]);
    await direct.close();
  });
});
