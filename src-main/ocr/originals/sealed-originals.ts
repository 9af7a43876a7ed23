/**
 * Originals of stills whose card numbers were painted over, kept only where
 * policy allows (`ocr.keepOriginals`), for a supervisor's audited look. They
 * never enter the evidence store, so no export, bundle or CRM delivery can
 * carry them. Each is sealed with AES-256-GCM under the install's originals
 * key; the case id and the stored (redacted) still's sha256 are the
 * authenticated data, so a file moved to another case or still does not open.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SHA = /^[0-9a-f]{64}$/;
const MAGIC = Buffer.from('VAO1');

export interface OpenedOriginal { mime: string; bytes: Buffer }

export class SealedOriginals {
  constructor(private readonly dir: string, private readonly key: () => Buffer) {}

  private pathOf(caseId: number, storedSha256: string): string {
    if (!Number.isSafeInteger(caseId) || caseId <= 0 || !SHA.test(storedSha256)) throw new Error('bad original reference');
    return join(this.dir, String(caseId), `${storedSha256}.sealed`);
  }

  has(caseId: number, storedSha256: string): boolean {
    return existsSync(this.pathOf(caseId, storedSha256));
  }

  /** Seal and write (temp file, then rename: a crash leaves the whole file or none). */
  seal(caseId: number, storedSha256: string, mime: string, bytes: Uint8Array): void {
    const file = this.pathOf(caseId, storedSha256);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key(), iv);
    c.setAAD(Buffer.from(`${caseId}:${storedSha256}`));
    const header = Buffer.from(JSON.stringify({ mime, sha256: createHash('sha256').update(bytes).digest('hex') }));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(header.length);
    const body = Buffer.concat([c.update(Buffer.concat([len, header, bytes])), c.final()]);
    mkdirSync(join(this.dir, String(caseId)), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([MAGIC, iv, c.getAuthTag(), body]), { mode: 0o600 });
    renameSync(tmp, file);
  }

  /** The original, or null when none was kept. Throws when the file was altered or belongs elsewhere. */
  open(caseId: number, storedSha256: string): OpenedOriginal | null {
    const file = this.pathOf(caseId, storedSha256);
    if (!existsSync(file)) return null;
    const b = readFileSync(file);
    if (b.length < 4 + 12 + 16 + 4 || !b.subarray(0, 4).equals(MAGIC)) throw new Error('original file is not sealed by this app');
    const d = createDecipheriv('aes-256-gcm', this.key(), b.subarray(4, 16));
    d.setAAD(Buffer.from(`${caseId}:${storedSha256}`));
    d.setAuthTag(b.subarray(16, 32));
    const plain = Buffer.concat([d.update(b.subarray(32)), d.final()]);
    const n = plain.readUInt32BE(0);
    const header = JSON.parse(plain.subarray(4, 4 + n).toString('utf8')) as { mime: string; sha256: string };
    const bytes = plain.subarray(4 + n);
    if (createHash('sha256').update(bytes).digest('hex') !== header.sha256) throw new Error('original does not match its recorded hash');
    return { mime: header.mime, bytes };
  }
}
