/**
 * Limits that keep one bad image from wedging OCR for the rest of a shift:
 * a time limit per engine job (the worker running it is terminated and
 * replaced), a bound on jobs waiting (over it: a typed `busy`, at once), and
 * recycling a worker after a job on a huge image (WebAssembly memory only
 * grows, so a worker that decoded a 50 MP photo keeps that memory until it
 * ends). A crashed worker is replaced the same way.
 */

export type OcrJobErrorCode = 'ocr_timeout' | 'busy' | 'ocr_worker_crashed';

/** A typed OCR failure: read-still.ts passes `code` to the renderer as the Result's error code. */
export class OcrJobError extends Error {
  constructor(readonly code: OcrJobErrorCode, message: string) {
    super(message);
  }
}

export interface OcrJobLimits {
  /** Longest one engine job (one read pass of one image) may run; default 60 s (a page takes 0.2-4 s). */
  jobTimeoutMs?: number;
  /** OCR calls accepted at once (running + waiting); more answer `busy` at once. Default 8. */
  maxPending?: number;
  /** A worker that read an image of more pixels than this is replaced after the job. Default 24 MP. */
  recycleAbovePixels?: number;
}

export const DEFAULT_JOB_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_PENDING = 8;
export const DEFAULT_RECYCLE_ABOVE_PIXELS = 24_000_000;

/** Race a worker call against the job's time limit; `onTimeout` ends the worker (its reply would come too late). */
export async function withTimeLimit<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new OcrJobError('ocr_timeout', `OCR stopped after ${Math.round(ms / 1000)} s on this image; the reader was restarted. Try a smaller or sharper still.`));
    }, ms);
  });
  work.catch(() => undefined); // rejected by the terminated worker after the time-out already answered
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The message for a job whose worker died under it. */
export const crashed = (why: string) => new OcrJobError('ocr_worker_crashed', `the OCR reader stopped while reading this image (${why}); it was restarted, try again`);

/** Counts calls in flight; refuses the one over the bound instead of queueing without end. */
export class PendingGate {
  private pending = 0;
  constructor(readonly max: number) {}
  get size(): number { return this.pending; }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.pending >= this.max) throw new OcrJobError('busy', `OCR is busy with ${this.pending} stills; try this one again in a moment`);
    this.pending++;
    try { return await fn(); } finally { this.pending--; }
  }
}
