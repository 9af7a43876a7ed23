/**
 * The managed settings that shape the workstation's config: SignalingUrl and
 * the sign-in settings (IdpIssuer, IdpClientId, IdpRolesClaim). A value from
 * policy (enforced or recommended) wins over the environment variables and
 * start-script overrides, since a user can set an environment variable and
 * cannot set policy; a setting policy leaves at its built-in default changes
 * nothing. Pure: the Electron main process and createServices both apply it,
 * so the CSP, the sockets and sign-in all see the same URLs.
 */
import { WorkstationConfig } from '../config';
import type { EffectivePolicy } from './resolve';

export const DEFAULT_OIDC_CLIENT_ID = 'visual-assist-workstation';

export function configFromPolicy(base: WorkstationConfig, eff: EffectivePolicy): WorkstationConfig {
  const set = (k: 'signaling.url' | 'idp.issuer' | 'idp.clientId' | 'idp.rolesClaim') => eff.settings[k].source !== 'default';
  const out: WorkstationConfig = { ...base };
  if (set('signaling.url')) out.signalingUrl = eff.get('signaling.url');
  const issuer = set('idp.issuer') ? eff.get('idp.issuer') : '';
  if (issuer) {
    // The organisation's provider replaces whatever the environment named, scope included.
    out.oidc = { issuer, clientId: (set('idp.clientId') && eff.get('idp.clientId')) || DEFAULT_OIDC_CLIENT_ID, rolesClaim: eff.get('idp.rolesClaim') };
  } else if (base.oidc) {
    out.oidc = { ...base.oidc, ...(set('idp.clientId') && eff.get('idp.clientId') ? { clientId: eff.get('idp.clientId') } : {}), ...(set('idp.rolesClaim') ? { rolesClaim: eff.get('idp.rolesClaim') } : {}) };
  }
  return WorkstationConfig.parse(out);
}
