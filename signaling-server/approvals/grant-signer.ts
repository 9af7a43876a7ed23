/**
 * The server's approval-signing key: Ed25519, generated per process unless a
 * PKCS#8 PEM file is configured (then grants survive a restart and several
 * nodes can share the key). Workstations fetch the public half as a JWKS.
 */
import { randomBytes, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { GRANT_AUDIENCE, GRANT_TYP, type GrantClaims } from '../protocol/index';

export interface GrantSigner {
  kid: string;
  jwks: { keys: JWK[] };
  sign(claims: Omit<GrantClaims, 'iss' | 'aud' | 'iat' | 'exp'>, opts: { nowMs: number, ttlSec: number }): Promise<string>;
}

export async function createGrantSigner(issuer: string, keyFile?: string): Promise<GrantSigner> {
  let priv: KeyObject;
  let pub: KeyObject;
  if (keyFile) {
    priv = createPrivateKey(readFileSync(keyFile));
    if (priv.asymmetricKeyType !== 'ed25519') throw new Error(`approvals: ${keyFile} is not an Ed25519 private key`);
    pub = createPublicKey(priv);
  } else {
    const kp = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    priv = kp.privateKey as unknown as KeyObject;
    pub = kp.publicKey as unknown as KeyObject;
  }
  const pubJwk = await exportJWK(pub);
  // kid: stable for a configured key (thumbprint-like), random for a per-process one
  const kid = keyFile ? `grant-${Buffer.from(pubJwk.x ?? '', 'base64url').subarray(0, 8).toString('base64url')}` : `grant-${randomBytes(6).toString('base64url')}`;
  const jwk: JWK = { ...pubJwk, kid, alg: 'EdDSA', use: 'sig' };
  return {
    kid,
    jwks: { keys: [jwk] },
    async sign(claims, { nowMs, ttlSec }) {
      const iat = Math.floor(nowMs / 1000);
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: GRANT_TYP })
        .setIssuer(issuer)
        .setAudience(GRANT_AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSec)
        .sign(priv);
    },
  };
}
