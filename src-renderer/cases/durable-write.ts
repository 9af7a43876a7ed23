/**
 * Writes the agent must not lose (the visual session's events, a still going
 * into the case): a write that fails for a passing reason (the case file
 * locked by another program, the disk full, main briefly unreachable, OCR
 * busy) is tried again a few times with growing pauses. If it still fails,
 * the agent sees a notice naming what was not saved, with a button to try
 * again; the write is kept in memory until it lands or the agent dismisses
 * it. Failures that retrying cannot fix (a refused argument, no such case)
 * are shown at once.
 */
import type { ApiError, Result } from '../../src-preload/contract/types';
import { createStore } from '../call/observable-store';

export type WriteKind = 'session' | 'snapshot';

export interface FailedWrite {
  id: number;
  kind: WriteKind;
  caseId: number;
  error: ApiError;
  /** Try the write again now; on success the notice goes away. */
  retry(): Promise<void>;
  dismiss(): void;
}

// Not ocr_timeout: the same image would take as long again; the agent's retry button is there for it.
const RETRYABLE = new Set(['busy', 'disk_full', 'unavailable', 'internal', 'ocr_worker_crashed']);
export const isRetryable = (e: ApiError) => RETRYABLE.has(e.code);

/** Pauses before the 2nd, 3rd and 4th try; the writer itself waits up to its busy timeout on a locked file each time. */
let delaysMs: readonly number[] = [500, 2_000, 5_000];
/** Tests shorten the pauses. */
export function setWriteRetryDelays(d: readonly number[]): void { delaysMs = d; }

export const failedWrites = createStore<{ items: FailedWrite[] }>({ items: [] });
let nextId = 1;

const remove = (id: number) => failedWrites.set({ items: failedWrites.get().items.filter((w) => w.id !== id) });

async function tryWithRetries<T>(attempt: () => Promise<Result<T>>): Promise<Result<T>> {
  let r = await attempt();
  for (const ms of delaysMs) {
    if (r.ok || !isRetryable(r.error)) return r;
    await new Promise((res) => setTimeout(res, ms));
    r = await attempt();
  }
  return r;
}

/**
 * Run a case write, retrying passing failures. The final failure (if any) is
 * returned to the caller and also listed in failedWrites for the agent;
 * `onLanded` runs when a later manual retry succeeds.
 */
export async function durableWrite<T>(kind: WriteKind, caseId: number, attempt: () => Promise<Result<T>>, onLanded?: (value: T) => void): Promise<Result<T>> {
  const r = await tryWithRetries(attempt);
  if (r.ok) return r;
  const id = nextId++;
  const item: FailedWrite = {
    id, kind, caseId, error: r.error,
    async retry() {
      const again = await tryWithRetries(attempt);
      if (again.ok) { remove(id); onLanded?.(again.value); return; }
      failedWrites.set({ items: failedWrites.get().items.map((w) => (w.id === id ? { ...w, error: again.error } : w)) });
    },
    dismiss: () => remove(id),
  };
  failedWrites.set({ items: [...failedWrites.get().items, item] });
  return r;
}
