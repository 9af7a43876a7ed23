/**
 * The server's approval-signing key: Ed25519, generated per process unless a
 * PKCS#8 PEM file is configured (then grants survive a restart and several
 * nodes share the key; with Redis the server requires one). Workstations
 * fetch the public half as a JWKS, with any extra published keys (a
 * rotation's next or previous key), which verify but never sign.
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

/** A configured key's kid comes from its public half, so every node sharing the file names it alike. */
function kidOf(x: string | undefined): string {
  return `grant-${Buffer.from(x ?? '', 'base64url').subarray(0, 8).toString('base64url')}`;
}

function readKey(file: string, want: 'private' | 'any'): KeyObject {
  let pem: Buffer;
  try { pem = readFileSync(file); } catch (err) { throw new Error(`approvals: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`); }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    if (want === 'private') throw new Error(`approvals: ${file} is not a PKCS#8 private key (${(err as Error).message})`);
    try { key = createPublicKey(pem); } catch (e) { throw new Error(`approvals: ${file} is not a PEM key (${(e as Error).message})`); }
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`approvals: ${file} is not an Ed25519 key`);
  return key;
}

/** The configured keys, read and checked (a start-up refuses a bad file before it opens anything). */
export interface GrantKeys { signing?: KeyObject, published: KeyObject[] }

export function loadGrantKeys(keyFile?: string, publishKeyFiles: readonly string[] = []): GrantKeys {
  return { ...(keyFile ? { signing: readKey(keyFile, 'private') } : {}), published: publishKeyFiles.map((f) => readKey(f, 'any')) };
}

export async function createGrantSigner(issuer: string, keyFile?: string, publishKeyFiles: readonly string[] = []): Promise<GrantSigner> {
  return grantSignerFrom(issuer, loadGrantKeys(keyFile, publishKeyFiles));
}

export async function grantSignerFrom(issuer: string, given: GrantKeys): Promise<GrantSigner> {
  let priv: KeyObject;
  let pub: KeyObject;
  if (given.signing) {
    priv = given.signing;
    pub = createPublicKey(priv);
  } else {
    const kp = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    priv = kp.privateKey as unknown as KeyObject;
    pub = kp.publicKey as unknown as KeyObject;
  }
  const pubJwk = await exportJWK(pub);
  // kid: stable for a configured key, random for a per-process one
  const kid = given.signing ? kidOf(pubJwk.x) : `grant-${randomBytes(6).toString('base64url')}`;
  const keys: JWK[] = [{ ...pubJwk, kid, alg: 'EdDSA', use: 'sig' }];
  for (const k of given.published) {
    const jwk = await exportJWK(k.type === 'private' ? createPublicKey(k) : k);
    const extraKid = kidOf(jwk.x);
    // only the public half; the same key listed twice once
    if (!keys.some((j) => j.kid === extraKid)) keys.push({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, kid: extraKid, alg: 'EdDSA', use: 'sig' });
  }
  return {
    kid,
    jwks: { keys },
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
