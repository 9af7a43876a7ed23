/**
 * Small JSON state files in the data dir. Writes go to a temp file in the same
 * directory and are renamed over the target, so a crash or power loss leaves
 * either the old or the new file, never half of one. Reads that fail to parse
 * or validate fall back to defaults (and log), so a corrupt file never stops
 * the workstation from starting.
 */
import { mkdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, basename, join } from 'node:path';
import type { z } from 'zod';
import type { Logger } from './log';

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600, flush: true });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}

export async function readJsonOr<S extends z.ZodType>(file: string, schema: S, fallback: z.output<S>, log: Logger): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('cannot read state file; using defaults', { file, error: (err as Error).message });
    return fallback;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    log.warn('state file is not valid JSON; using defaults', { file });
    return fallback;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    log.warn('state file does not match its schema; using defaults', { file, issues: parsed.error.issues.length });
    return fallback;
  }
  return parsed.data;
}
