/**
 * Errors crossing the worker boundary. postMessage clones only plain data,
 * so a thrown error travels as {code, message} and is rebuilt on the main
 * thread: expected failures as CaseError with their code, SQLite's busy and
 * full as `busy` and `disk_full`, anything else as a plain Error (the router
 * logs it and answers `internal` without the message, which may hold SQL).
 */
import { CASE_ERROR_CODES, CaseError, type CaseErrorCode } from '../errors';

export interface WireError { code: CaseErrorCode; message: string; name: string; stack?: string }

/** SQLite's extended result codes start with the primary one (SQLITE_BUSY_SNAPSHOT, SQLITE_FULL, ...). */
export function sqliteCode(err: unknown): CaseErrorCode | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_LOCKED_')) return 'busy';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'disk_full';
  return null;
}

export function toWire(err: unknown): WireError {
  const e = err instanceof Error ? err : new Error(String(err));
  const own = (e as { code?: unknown }).code;
  const sqlite = sqliteCode(e);
  if (sqlite === 'busy') return { code: 'busy', name: e.name, message: 'the case database is busy (another program holds its write lock); try again' };
  if (sqlite === 'disk_full') return { code: 'disk_full', name: e.name, message: 'the disk holding the case database is full; nothing was written' };
  if (typeof own === 'string' && (CASE_ERROR_CODES as readonly string[]).includes(own) && own !== 'internal') return { code: own as CaseErrorCode, name: e.name, message: e.message };
  return { code: 'internal', name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}

export function fromWire(w: WireError): Error {
  if (w.code !== 'internal') return new CaseError(w.code, w.message);
  const e = new Error(w.message);
  e.name = w.name;
  if (w.stack) e.stack = w.stack;
  return e;
}
