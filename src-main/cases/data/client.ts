/**
 * The main thread's handle on the case database: a writer worker and a
 * reader worker (as Signal Desktop's ts/sql/main.ts runs its SQL off the main
 * thread), so a locked or slow file never blocks IPC, the web host or the
 * window, and reads never queue behind a write waiting for the lock (WAL lets
 * the reader's connection read while another one holds the write lock).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CaseDataReader, CaseDataWriter, DataOptions } from './types';
import { fromWire } from './wire-errors';
import type { DataRequest, DataResponse } from './worker';

/** The worker's file name next to the bundled main process (scripts/build-electron.ts builds it). */
export const WORKER_BUNDLE = 'cases-data-worker.cjs';

/** A synchronous worker-side interface as the main thread calls it. */
export type Async<T> = { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<R> : never };

function spawn(opts: DataOptions): Worker {
  const bundled = typeof __dirname === 'string' ? join(__dirname, WORKER_BUNDLE) : null;
  if (bundled && existsSync(bundled)) return new Worker(bundled, { workerData: opts });
  // From source (tsx, vitest): Node cannot load TypeScript in a thread by itself, so register tsx there first.
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const entry = fileURLToPath(new URL('./worker.ts', import.meta.url));
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`, { eval: true, workerData: opts });
}

/** One worker thread and its pending calls. */
class DataThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private stopped: Error | null = null;
  /** Settles when the connection is open (or failed to open: then every call fails with that reason). */
  readonly ready: Promise<void>;

  constructor(opts: DataOptions) {
    this.worker = spawn(opts);
    let opened!: (v: unknown) => void;
    let failed!: (e: Error) => void;
    this.ready = new Promise<void>((res, rej) => { opened = res as never; failed = rej; });
    this.ready.catch(() => undefined);
    this.pending.set(0, { resolve: opened, reject: failed });
    this.worker.on('message', (m: DataResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(fromWire(m.error));
    });
    const stop = (err: Error) => {
      this.stopped ??= err;
      for (const p of this.pending.values()) p.reject(this.stopped);
      this.pending.clear();
    };
    this.worker.on('error', stop);
    this.worker.on('exit', (code) => stop(new Error(`case database ${opts.role} stopped (exit ${code})`)));
  }

  async call(method: string, args: unknown[]): Promise<unknown> {
    await this.ready;
    return this.send(method, args);
  }

  private send(method: string, args: unknown[]): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, args } satisfies DataRequest);
    });
  }

  /** Close the connection (checkpointing the WAL), then let the thread end; terminate it if it does not. */
  async close(): Promise<void> {
    if (!this.stopped) {
      const closed = this.send('close', []).catch(() => undefined);
      const late = new Promise((r) => setTimeout(r, 5_000).unref());
      await Promise.race([closed, late]);
    }
    await this.worker.terminate();
  }
}

function proxy<T>(call: (method: string, args: unknown[]) => Promise<unknown>): Async<T> {
  return new Proxy({} as Async<T>, {
    // 'then' stays undefined so the proxy is not mistaken for a Promise.
    get: (_t, method) => (typeof method === 'string' && method !== 'then' ? (...args: unknown[]) => call(method, args) : undefined),
  });
}

export interface CaseData {
  readonly reader: Async<CaseDataReader>;
  readonly writer: Async<CaseDataWriter>;
  /** Resolves when both connections are open; rejects with the reason otherwise (e.g. schema_too_new). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** Start both workers; the reader opens once the writer has brought the schema up to date. */
export function openCaseData(opts: Omit<DataOptions, 'role'>): CaseData {
  const writer = new DataThread({ ...opts, role: 'writer' });
  const readerReady = writer.ready.then(() => new DataThread({ ...opts, role: 'reader' }));
  readerReady.catch(() => undefined);
  const ready = readerReady.then((r) => r.ready);
  ready.catch(() => undefined);
  return {
    reader: proxy<CaseDataReader>((method, args) => readerReady.then((r) => r.call(method, args))),
    writer: proxy<CaseDataWriter>((method, args) => writer.call(method, args)),
    ready,
    async close() {
      await Promise.all([writer.close(), readerReady.then((r) => r.close(), () => undefined)]);
    },
  };
}
