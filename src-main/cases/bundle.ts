import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { CaseEventBody, CaseStatus, Currency, EvidenceMime, MinorAmount, Sha256 } from '../../src-preload/contract/cases';
import { CaseError } from './errors';
import { fsyncDir, sha256Hex, writeAtomic } from './evidence';
import { SIGNATURE_FILE, type SignatureJson } from './bundle-signing';

/**
 * Evidence bundle: a folder holding case.json (customer, case, every event),
 * evidence/<sha256> (the binaries) and manifest.json (sha256 and size of
 * every other file). Import checks that the folder holds exactly the files
 * of the manifest, each with its hash, before anything is written. The
 * manifest's own sha256 is the bundle's fingerprint: record it with the CRM
 * or the dispute and any later change to the bundle is detectable.
 * signature.json (bundle-signing.ts) is the exporting installation's
 * signature over that fingerprint; it is outside the manifest it signs.
 */
export const BUNDLE_FORMAT = 'visual-assist-case-bundle';
export const BUNDLE_VERSION = 1;
const MAX_MANIFEST = 4 * 1024 * 1024;
const MAX_CASE_JSON = 256 * 1024 * 1024;

export const Manifest = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  files: z.array(z.object({ path: z.string().regex(/^(case\.json|evidence\/[0-9a-f]{64})$/), sha256: Sha256, bytes: z.number().int().min(0) }).strict()).min(1).max(100_000),
}).strict();

export const CaseJson = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  exportedAt: z.number(),
  origin: z.object({ installId: z.string().max(64), caseId: z.number().int().positive() }).strict(),
  customer: z.object({
    name: z.string().max(200),
    phones: z.array(z.string().max(32)).max(10),
    accounts: z.array(z.object({ number: z.string().max(64), plan: z.string().max(120), expectedMonthlyMinor: MinorAmount, currency: Currency }).strict()).max(20),
  }).strict(),
  case: z.object({ subject: z.string().max(300), status: CaseStatus, openedAt: z.number(), accountNumber: z.string().max(64).nullable() }).strict(),
  events: z.array(z.object({ seq: z.number().int().positive(), at: z.number(), agentId: z.string().max(128), body: CaseEventBody }).strict()).max(1_000_000),
  evidence: z.array(z.object({ sha256: Sha256, mime: EvidenceMime, bytes: z.number().int().min(0) }).strict()).max(100_000),
}).strict();
export type CaseJson = z.infer<typeof CaseJson>;

export interface VerifiedBundle { caseJson: CaseJson; dir: string; manifestSha256: string }

/** Write a bundle folder atomically (built under a temp name, renamed when complete). */
export function writeBundle(bundlesDir: string, name: string, caseJson: CaseJson, readEvidence: (sha: string) => Buffer, signManifest?: (manifestSha256: string) => SignatureJson): { manifestSha256: string; files: number } {
  mkdirSync(bundlesDir, { recursive: true });
  const final = join(bundlesDir, name);
  if (existsSync(final)) throw new CaseError('conflict', `bundle ${name} already exists`);
  const tmp = join(bundlesDir, `.${name}.partial`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'evidence'), { recursive: true });
  const files: z.infer<typeof Manifest>['files'] = [];
  const caseText = JSON.stringify(caseJson, null, 1);
  writeAtomic(join(tmp, 'case.json'), caseText);
  files.push({ path: 'case.json', sha256: sha256Hex(caseText), bytes: Buffer.byteLength(caseText) });
  for (const ev of caseJson.evidence) {
    const bytes = readEvidence(ev.sha256); // verified against its hash on read
    writeAtomic(join(tmp, 'evidence', ev.sha256), bytes);
    files.push({ path: `evidence/${ev.sha256}`, sha256: ev.sha256, bytes: bytes.length });
  }
  const manifestText = JSON.stringify({ format: BUNDLE_FORMAT, version: BUNDLE_VERSION, files }, null, 1);
  writeAtomic(join(tmp, 'manifest.json'), manifestText);
  const manifestSha256 = sha256Hex(manifestText);
  if (signManifest) writeAtomic(join(tmp, SIGNATURE_FILE), JSON.stringify(signManifest(manifestSha256), null, 1));
  renameSync(tmp, final);
  fsyncDir(bundlesDir);
  return { manifestSha256, files: files.length + 1 };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

const tampered = (msg: string) => new CaseError('bundle_tampered', `bundle refused: ${msg}`);

/** Check a bundle folder completely; throws bundle_tampered naming the first problem. */
export function verifyBundle(dir: string): VerifiedBundle {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CaseError('not_found', 'bundle not found');
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw tampered('manifest.json is missing');
  if (statSync(manifestPath).size > MAX_MANIFEST) throw tampered('manifest.json is too large');
  const manifestText = readFileSync(manifestPath);
  let manifest: z.infer<typeof Manifest>;
  try {
    const r = Manifest.safeParse(JSON.parse(manifestText.toString('utf8')));
    if (!r.success) throw tampered(`manifest.json: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
    manifest = r.data;
  } catch (err) {
    if (err instanceof CaseError) throw err;
    throw tampered('manifest.json is not valid JSON');
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const f of listFiles(dir)) {
    if (f !== 'manifest.json' && f !== SIGNATURE_FILE && !listed.has(f)) throw tampered(`${f} is not in the manifest`);
  }
  let caseText: Buffer | null = null;
  for (const f of manifest.files) {
    const p = join(dir, ...f.path.split('/'));
    if (!existsSync(p)) throw tampered(`${f.path} is missing`);
    if (f.path === 'case.json' && statSync(p).size > MAX_CASE_JSON) throw tampered('case.json is too large');
    const bytes = readFileSync(p);
    if (bytes.length !== f.bytes || sha256Hex(bytes) !== f.sha256) throw tampered(`${f.path} does not match its sha256 in the manifest`);
    if (f.path.startsWith('evidence/') && f.path !== `evidence/${f.sha256}`) throw tampered(`${f.path} is filed under the wrong hash`);
    if (f.path === 'case.json') caseText = bytes;
  }
  if (!caseText) throw tampered('case.json is missing');
  let caseJson: CaseJson;
  try {
    const r = CaseJson.safeParse(JSON.parse(caseText.toString('utf8')));
    if (!r.success) throw tampered(`case.json: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
    caseJson = r.data;
  } catch (err) {
    if (err instanceof CaseError) throw err;
    throw tampered('case.json is not valid JSON');
  }
  for (const ev of caseJson.evidence) {
    if (!listed.has(`evidence/${ev.sha256}`)) throw tampered(`evidence ${ev.sha256} named in case.json is not in the bundle`);
  }
  return { caseJson, dir, manifestSha256: sha256Hex(manifestText) };
}
