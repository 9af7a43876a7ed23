/**
 * SignalingUrl and the sign-in policies reach the workstation's config: policy
 * beats the environment (a user can set a variable, not a GPO), a setting
 * left at its default changes nothing, and the services really sign in at
 * the organisation's provider.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config';
import { createLogger } from '../../../src-main/log';
import { configFromPolicy } from '../../../src-main/policy/config';
import { resolvePolicy, type PolicyLayer } from '../../../src-main/policy/resolve';
import { createServices } from '../../../src-main/services';

const machine = (values: Record<string, unknown>): PolicyLayer => ({ level: 'machine', origin: 'HKLM\\Software\\Policies\\VisualAssist\\Workstation', keyedBy: 'policyName', values });
const recommended = (values: Record<string, unknown>): PolicyLayer => ({ level: 'recommended', origin: '/etc/visual-assist/policy.json (Recommended)', keyedBy: 'policyName', values });
const envOidc = { VISUAL_ASSIST_OIDC_ISSUER: 'https://user-picked.example/', VISUAL_ASSIST_OIDC_CLIENT_ID: 'from-env', VISUAL_ASSIST_SIGNALING_URL: 'http://10.0.0.9:7800' };

describe('config from policy', () => {
  const cases: { name: string; env: Record<string, string>; layers: PolicyLayer[]; signalingUrl: string; oidc: unknown }[] = [
    { name: 'no policy: the environment decides', env: envOidc, layers: [], signalingUrl: 'http://10.0.0.9:7800', oidc: { issuer: 'https://user-picked.example/', clientId: 'from-env' } },
    { name: 'no policy, no environment: no sign-in', env: {}, layers: [], signalingUrl: 'http://127.0.0.1:7800', oidc: undefined },
    {
      name: 'enforced issuer, client and signaling URL replace the environment', env: envOidc,
      layers: [machine({ SignalingUrl: 'https://signal.corp.example', IdpIssuer: 'https://login.corp.example/realms/agents', IdpClientId: 'visual-assist', IdpRolesClaim: 'groups' })],
      signalingUrl: 'https://signal.corp.example', oidc: { issuer: 'https://login.corp.example/realms/agents', clientId: 'visual-assist', rolesClaim: 'groups' },
    },
    {
      name: 'issuer by policy without a client id: the built-in client id, not the environment\'s', env: envOidc,
      layers: [machine({ IdpIssuer: 'https://login.corp.example/' })],
      signalingUrl: 'http://10.0.0.9:7800', oidc: { issuer: 'https://login.corp.example/', clientId: 'visual-assist-workstation', rolesClaim: 'roles' },
    },
    {
      name: 'only the roles claim by policy: applied to the environment\'s provider', env: envOidc,
      layers: [recommended({ IdpRolesClaim: 'realm_access.roles' })],
      signalingUrl: 'http://10.0.0.9:7800', oidc: { issuer: 'https://user-picked.example/', clientId: 'from-env', rolesClaim: 'realm_access.roles' },
    },
    {
      name: 'an invalid issuer in policy is ignored (reported), the environment stays', env: envOidc,
      layers: [machine({ IdpIssuer: 'ftp://nope' })],
      signalingUrl: 'http://10.0.0.9:7800', oidc: { issuer: 'https://user-picked.example/', clientId: 'from-env' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cfg = configFromPolicy(loadConfig({ dataDir: '/tmp/x' }, c.env), resolvePolicy(c.layers));
      expect(cfg.signalingUrl).toBe(c.signalingUrl);
      expect(cfg.oidc).toEqual(c.oidc);
    });
  }

  it('the services sign in at the provider policy names', async () => {
    const s = createServices(loadConfig({ dataDir: mkdtempSync(join(tmpdir(), 'cfg-policy-')), webHostPort: 0 }, {}), {
      log: createLogger({ sink: () => {} }),
      policy: { layers: [machine({ IdpIssuer: 'https://login.corp.example/realms/agents', SignalingUrl: 'https://signal.corp.example' })], issues: [] },
    });
    try {
      expect(s.auth.mode).toBe('oidc');
      expect(s.auth.status()).toMatchObject({ mode: 'oidc', issuer: 'https://login.corp.example/realms/agents' });
      expect(s.config.signalingUrl).toBe('https://signal.corp.example');
    } finally { await s.close(); }
  });
});
