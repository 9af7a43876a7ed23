/**
 * A database worker thread: one connection, as writer or reader. Each
 * message names a method of CaseDataWriter or CaseDataReader; the answer is
 * its value or a WireError. Blocking calls (a lock wait, an fsync) stall only
 * this thread, never the main one. The first message out reports whether
 * the connection opened.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openCaseDb, openReaderDb, type Database } from './open';
import { createReader } from './reader';
import type { DataOptions } from './types';
import { toWire } from './wire-errors';
import { createWriter } from './writer';

export interface DataRequest { id: number; method: string; args: unknown[] }
export type DataResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ReturnType<typeof toWire> };

const port = parentPort!;
const opts = workerData as DataOptions;
let db: Database.Database | null = null;
let api: Record<string, (...a: unknown[]) => unknown> = {};

try {
  if (opts.role === 'writer') {
    db = openCaseDb(opts.file, { durability: opts.durability, busyTimeoutMs: opts.busyTimeoutMs });
    if (opts.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(opts.maxPageCount)}`);
    api = createWriter(db, { outbox: opts.outbox, reporting: !!opts.reporting }) as never;
  } else {
    db = openReaderDb(opts.file, opts.busyTimeoutMs);
    api = createReader(db) as never;
  }
  port.postMessage({ id: 0, ok: true, value: null } satisfies DataResponse);
} catch (err) {
  port.postMessage({ id: 0, ok: false, error: toWire(err) } satisfies DataResponse);
}

port.on('message', (m: DataRequest) => {
  if (m.method === 'close') {
    try { db?.close(); } catch { /* closing anyway */ }
    db = null;
    port.postMessage({ id: m.id, ok: true, value: null } satisfies DataResponse);
    port.close();
    return;
  }
  let res: DataResponse;
  try {
    const fn = Object.prototype.hasOwnProperty.call(api, m.method) ? api[m.method] : undefined;
    if (!db || typeof fn !== 'function') throw new Error(`case database ${opts.role}: no method ${m.method}`);
    res = { id: m.id, ok: true, value: fn(...m.args) };
  } catch (err) {
    res = { id: m.id, ok: false, error: toWire(err) };
  }
  port.postMessage(res);
});
