import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Sha256 } from '../../src-preload/contract/cases';
import { CaseError } from './errors';
import { sha256Hex, writeAtomic } from './evidence';

/**
 * Each installation signs the bundles it exports with its own Ed25519 key
 * (made on first export, kept in the case data folder, mode 0600). The
 * signature covers the manifest's sha256 (which covers every file) and the
 * exporting installation's id. A signature alone proves only that *some*
 * key signed the bundle: the importer trusts it when the signing key's
 * fingerprint is one it was told to trust, or when the importer gives the
 * fingerprint (of the key, or of the bundle's manifest) it got from the
 * exporter out of band (the CRM record, the dispute file, a phone call).
 */
export const SIGNATURE_FILE = 'signature.json';
const KEY_FILE = 'bundle-signing-key.pem';
const DOMAIN = 'visual-assist-case-bundle-signature-v1';

export const SignatureJson = z.object({
  format: z.literal('visual-assist-case-bundle-signature'),
  version: z.literal(1),
  alg: z.literal('Ed25519'),
  installId: z.string().max(64),
  /** SubjectPublicKeyInfo (DER), base64. */
  publicKey: z.string().max(200),
  keyFingerprint: Sha256,
  manifestSha256: Sha256,
  signature: z.string().max(200),
}).strict();
export type SignatureJson = z.infer<typeof SignatureJson>;

export interface SigningKey { privateKey: KeyObject; publicKeyDer: Buffer; fingerprint: string }

/** sha256 of the key's SubjectPublicKeyInfo, hex: what an exporter reads out and an importer types in. */
export const keyFingerprint = (spkiDer: Buffer) => sha256Hex(spkiDer);

const message = (manifestSha256: string, installId: string) => Buffer.from(`${DOMAIN}\n${manifestSha256}\n${installId}`);

/** This installation's bundle key, made once and kept beside the case cache. */
export function loadOrCreateSigningKey(dataDir: string): SigningKey {
  const file = join(dataDir, KEY_FILE);
  let privateKey: KeyObject;
  if (existsSync(file)) {
    privateKey = createPrivateKey(readFileSync(file));
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 key`);
  } else {
    privateKey = generateKeyPairSync('ed25519').privateKey;
    writeAtomic(file, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  }
  const publicKeyDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { privateKey, publicKeyDer, fingerprint: keyFingerprint(publicKeyDer) };
}

export function signatureFor(key: SigningKey, manifestSha256: string, installId: string): SignatureJson {
  return {
    format: 'visual-assist-case-bundle-signature', version: 1, alg: 'Ed25519', installId,
    publicKey: key.publicKeyDer.toString('base64'), keyFingerprint: key.fingerprint, manifestSha256,
    signature: sign(null, message(manifestSha256, installId), key.privateKey).toString('base64'),
  };
}

const tampered = (msg: string) => new CaseError('bundle_tampered', `bundle refused: ${msg}`);

/**
 * The bundle's signature, checked against its own manifest and origin: null
 * when the bundle carries none (older exports); bundle_tampered when it is
 * malformed, for another manifest or installation, or does not verify.
 * Returns the signing key's fingerprint; whether to trust that key is the
 * importer's decision (service.importBundle).
 */
export function checkSignature(dir: string, manifestSha256: string, originInstallId: string): { keyFingerprint: string } | null {
  const p = join(dir, SIGNATURE_FILE);
  if (!existsSync(p)) return null;
  let sig: SignatureJson;
  try {
    if (!statSync(p).isFile() || statSync(p).size > 16 * 1024) throw tampered(`${SIGNATURE_FILE} is not a small file`);
    const r = SignatureJson.safeParse(JSON.parse(readFileSync(p, 'utf8')));
    if (!r.success) throw tampered(`${SIGNATURE_FILE}: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
    sig = r.data;
  } catch (err) {
    if (err instanceof CaseError) throw err;
    throw tampered(`${SIGNATURE_FILE} is not valid JSON`);
  }
  if (sig.manifestSha256 !== manifestSha256) throw tampered('the signature is for another manifest');
  if (sig.installId !== originInstallId) throw tampered('the signature names another installation than case.json');
  const der = Buffer.from(sig.publicKey, 'base64');
  if (keyFingerprint(der) !== sig.keyFingerprint) throw tampered('the signature\'s key does not match its fingerprint');
  let ok = false;
  try {
    const pub = createPublicKey({ key: der, format: 'der', type: 'spki' });
    ok = pub.asymmetricKeyType === 'ed25519' && verify(null, message(manifestSha256, sig.installId), pub, Buffer.from(sig.signature, 'base64'));
  } catch { ok = false; }
  if (!ok) throw tampered('the signature does not verify');
  return { keyFingerprint: sig.keyFingerprint };
}
