import { describe, expect, it } from 'vitest';
import { CaseError } from '../../../src-main/cases/errors';
import { SchemaTooNewError } from '../../../src-main/cases/migrations';
import { fromWire, sqliteCode, toWire } from '../../../src-main/cases/data/wire-errors';

/** What better-sqlite3 throws: an Error named SqliteError with SQLite's (extended) result code. */
const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { name: 'SqliteError', code });

describe('errors across the database worker boundary', () => {
  it('maps a locked database to busy and a full one to disk_full, whatever the extended code', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']) expect(sqliteCode(sqliteError(code, 'database is locked')), code).toBe('busy');
    expect(sqliteCode(sqliteError('SQLITE_FULL', 'database or disk is full'))).toBe('disk_full');
    expect(sqliteCode(sqliteError('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed'))).toBeNull();
    expect(sqliteCode(new Error('plain'))).toBeNull();
  });

  it('rebuilds typed errors with their code on the main side, as CaseError', () => {
    for (const [err, code] of [
      [sqliteError('SQLITE_BUSY', 'database is locked'), 'busy'],
      [sqliteError('SQLITE_FULL', 'database or disk is full'), 'disk_full'],
      [new CaseError('not_found', 'case 9 not found'), 'not_found'],
      [new CaseError('bundle_tampered', 'bundle refused: x'), 'bundle_tampered'],
      [new SchemaTooNewError(9, 5), 'schema_too_new'],
    ] as const) {
      const wire = structuredClone(toWire(err)); // what postMessage delivers
      const back = fromWire(wire);
      expect(back, code).toBeInstanceOf(CaseError);
      expect((back as CaseError).code).toBe(code);
    }
    expect(fromWire(toWire(new CaseError('conflict', 'account A1 already exists'))).message).toBe('account A1 already exists');
  });

  it('turns anything else into a plain Error (the router answers internal and logs the message)', () => {
    const back = fromWire(structuredClone(toWire(sqliteError('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: accounts.number'))));
    expect(back).not.toBeInstanceOf(CaseError);
    expect(back.name).toBe('SqliteError');
    expect(back.message).toContain('UNIQUE constraint failed');
  });
});
