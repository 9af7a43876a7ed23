import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CaseError } from './errors';

export const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * Content-addressed files: the name is the sha256 of the bytes, so a file
 * that was changed on disk no longer matches its name and is refused on
 * read. Writes go to a temp file, are fsynced, then renamed into place (and
 * the directory fsynced), so a crash leaves either no file or the whole one.
 */
export class EvidenceFiles {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /** Store bytes; returns their sha256. Idempotent. */
  write(bytes: Uint8Array): string {
    const sha = sha256Hex(bytes);
    const target = this.pathOf(sha);
    if (existsSync(target) && this.verify(sha)) return sha;
    const sub = join(this.dir, sha.slice(0, 2));
    mkdirSync(sub, { recursive: true });
    writeAtomic(target, bytes);
    return sha;
  }

  /** Read and check the bytes against their name. */
  read(sha256: string): Buffer {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.pathOf(sha256));
    } catch {
      throw new CaseError('not_found', `evidence ${sha256} is missing from the data folder`);
    }
    if (sha256Hex(bytes) !== sha256) throw new CaseError('evidence_corrupt', `evidence ${sha256} does not match its hash: the file was altered or damaged`);
    return bytes;
  }

  private verify(sha256: string): boolean {
    try { return sha256Hex(readFileSync(this.pathOf(sha256))) === sha256; } catch { return false; }
  }
}

/** Write a file so readers see the old state or the complete new one, never a torn one. */
export function writeAtomic(target: string, bytes: Uint8Array | string): void {
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, target);
  fsyncDir(join(target, '..'));
}

export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch { /* some filesystems refuse fsync on directories; the rename is still atomic */ }
}
