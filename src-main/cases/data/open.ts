import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, SchemaTooNewError, SCHEMA_VERSION, userVersion } from '../migrations';
import { BUSY_TIMEOUT_MS } from './types';

export type Durability = 'full' | 'normal';
export type { Database };


/**
 * Open (or create) the case cache file. The version check comes before any
 * pragma that writes (journal_mode=WAL changes the file header), so a file
 * from a newer app is refused untouched.
 *
 * synchronous=FULL by default: in WAL mode that fsyncs each commit, so an
 * acknowledged event survives power loss, not only a process crash. Agents
 * write at human speed; this costs well under a millisecond per event here.
 */
export function openCaseDb(file: string, opts: { durability?: Durability; migrateTo?: number; readonly?: boolean; busyTimeoutMs?: number } = {}): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false });
  try {
    const found = userVersion(db);
    if (found > SCHEMA_VERSION) throw new SchemaTooNewError(found, SCHEMA_VERSION);
    if (opts.readonly) return db;
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
    tuneForReads(db);
    migrate(db, opts.migrateTo);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * The reader's connection: opened after the writer has migrated the file, so
 * it only checks the version. query_only keeps it from ever taking the write
 * lock; WAL lets it read while another connection (or process) writes.
 */
export function openReaderDb(file: string, busyTimeoutMs = BUSY_TIMEOUT_MS): Database.Database {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    const found = userVersion(db);
    if (found > SCHEMA_VERSION) throw new SchemaTooNewError(found, SCHEMA_VERSION);
    db.pragma('query_only = ON');
    tuneForReads(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Screen pops read a few scattered pages; keep hot pages in memory and read the rest through mmap. */
function tuneForReads(db: Database.Database): void {
  db.pragma('cache_size = -32768');
  db.pragma('mmap_size = 268435456');
}
