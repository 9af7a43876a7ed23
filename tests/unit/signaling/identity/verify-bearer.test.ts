/**
 * The one bearer verifier (sockets and HTTP): an IdP's signed JWTs checked
 * against its key set (signature, issuer, audience, expiry, lifetime, roles
 * from the configured claim), and the hand-minted service tokens beside them.
 */
import { describe, expect, it } from 'vitest';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createBearerVerifier } from '../../../../signaling-server/identity/verify-bearer';
import { mintAgentToken } from '../../../../signaling-server/auth';

const ISSUER = 'https://idp.example.com/realms/cc';
const AUD = 'urn:visual-assist:signaling';
const SECRET = 'service-secret-0123456789abcdef';

async function idp() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  const sign = (claims: JWTPayload, o: { iss?: string; aud?: string; ttl?: number; iat?: number; key?: typeof privateKey } = {}) => {
    const iat = o.iat ?? Math.floor(Date.now() / 1000);
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(o.iss ?? ISSUER).setAudience(o.aud ?? AUD)
      .setSubject(String(claims.sub ?? 'alice')).setIssuedAt(iat).setExpirationTime(iat + (o.ttl ?? 900)).sign(o.key ?? privateKey);
  };
  return { keys: createLocalJWKSet({ keys: [jwk] }), sign };
}

describe('verifyBearer with an IdP', () => {
  it('a good token becomes the Identity with roles, name and the issuer as source', async () => {
    const p = await idp();
    const verify = createBearerVerifier({ keyRing: SECRET, idp: { issuer: ISSUER, audience: AUD, keys: p.keys } });
    const r = await verify(await p.sign({ sub: 'alice', name: 'Alice Agent', roles: ['agent', 'supervisor', 'admin'] }));
    expect(r).toMatchObject({ ok: true, identity: { sub: 'alice', name: 'Alice Agent', roles: ['agent', 'supervisor'], source: ISSUER } });
  });

  it('refuses another issuer, another audience, an expired token and a forged signature, each with its reason', async () => {
    const p = await idp();
    const other = await generateKeyPair('ES256');
    const verify = createBearerVerifier({ keyRing: SECRET, idp: { issuer: ISSUER, audience: AUD, keys: p.keys } });
    expect(await verify(await p.sign({ sub: 'alice', roles: ['agent'] }, { iss: 'https://evil.example.com' }))).toMatchObject({ ok: false, code: 'unauthorized', reason: 'wrong_issuer' });
    expect(await verify(await p.sign({ sub: 'alice', roles: ['agent'] }, { aud: 'some-other-api' }))).toMatchObject({ ok: false, reason: 'wrong_audience' });
    expect(await verify(await p.sign({ sub: 'alice', roles: ['agent'] }, { iat: Math.floor(Date.now() / 1000) - 3600, ttl: 900 }))).toMatchObject({ ok: false, reason: 'expired' });
    expect(await verify(await p.sign({ sub: 'alice', roles: ['agent'] }, { key: other.privateKey }))).toMatchObject({ ok: false, reason: 'bad_signature' });
    // a signed token whose lifetime exceeds the maximum is refused too
    expect(await verify(await p.sign({ sub: 'alice', roles: ['agent'] }, { ttl: 30 * 24 * 3600 }))).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('an HMAC token "signed" with the public key or alg none is not accepted', async () => {
    const p = await idp();
    const verify = createBearerVerifier({ keyRing: SECRET, idp: { issuer: ISSUER, audience: AUD, keys: p.keys } });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', iss: ISSUER, aud: AUD, roles: ['supervisor'], iat: 1, exp: 9e9 })).toString('base64url')}.`;
    expect((await verify(none)).ok).toBe(false);
  });

  it('roles come from the configured claim (nested path, space-separated) and a token without a known role is refused', async () => {
    const p = await idp();
    const verify = createBearerVerifier({ keyRing: SECRET, idp: { issuer: ISSUER, audience: AUD, keys: p.keys, rolesClaim: 'realm_access.roles' } });
    expect(await verify(await p.sign({ sub: 'sam', realm_access: { roles: ['offline_access', 'supervisor'] } }))).toMatchObject({ ok: true, identity: { roles: ['supervisor'] } });
    expect(await verify(await p.sign({ sub: 'sam', roles: ['supervisor'] }))).toMatchObject({ ok: false, reason: 'no_roles' });
    const spaced = createBearerVerifier({ keyRing: SECRET, idp: { issuer: ISSUER, audience: AUD, keys: p.keys, rolesClaim: 'scope_roles' } });
    expect(await spaced(await p.sign({ sub: 'tina', scope_roles: 'technician other' }))).toMatchObject({ ok: true, identity: { roles: ['technician'] } });
  });

  it('service tokens stay accepted beside the IdP, with their roles; garbage is malformed; a JWT without an IdP is not configured', async () => {
    const p = await idp();
    const verify = createBearerVerifier({ keyRing: SECRET, idp: { issuer: ISSUER, audience: AUD, keys: p.keys } });
    expect(await verify(mintAgentToken(SECRET, 'script-1', { roles: ['supervisor'] }))).toMatchObject({ ok: true, identity: { sub: 'script-1', roles: ['supervisor'], source: 'service' } });
    expect(await verify(mintAgentToken('another-secret-0123456789', 'x'))).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(await verify('not a token')).toMatchObject({ ok: false, reason: 'malformed' });
    const serviceOnly = createBearerVerifier({ keyRing: SECRET });
    expect(await serviceOnly(await p.sign({ sub: 'alice', roles: ['agent'] }))).toMatchObject({ ok: false, reason: 'not_configured' });
  });
});
