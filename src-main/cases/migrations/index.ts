import type { Database } from 'better-sqlite3';
import type { Migration } from './types';
import { migration1 } from './1-core';
import { migration2 } from './2-search';
import { migration3 } from './3-outbox';
import { migration4 } from './4-credit-audit';
import { migration5 } from './5-search-stemming';
import { migration6 } from './6-credit-totals';
import { migration7 } from './7-approval-nonces';
import { migration8 } from './8-case-segments';
import { migration9 } from './9-reporting';
import { migration10 } from './10-bundle-imports';

export type { Migration } from './types';

/** In order; a new step gets the next number and its own module. Never edit a shipped step. */
export const MIGRATIONS: readonly Migration[] = [migration1, migration2, migration3, migration4, migration5, migration6, migration7, migration8, migration9, migration10];
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class SchemaTooNewError extends Error {
  readonly code = 'schema_too_new';
  constructor(readonly found: number, readonly known: number) {
    super(`The case cache has schema version ${found}, written by a newer version of this app (this version knows up to ${known}). ` +
      'It was left untouched; update the app to open it.');
  }
}

export function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Bring the schema up to `target` (default: the newest), one transaction per
 * step so user_version and the schema always agree. A database from the
 * future is refused before anything is written.
 */
export function migrate(db: Database, target: number = SCHEMA_VERSION): { from: number; to: number } {
  const from = userVersion(db);
  if (from > SCHEMA_VERSION) throw new SchemaTooNewError(from, SCHEMA_VERSION);
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      // Another connection may have run this step while we waited for the write lock.
      if (userVersion(db) >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from, to: userVersion(db) };
}
