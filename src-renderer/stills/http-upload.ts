/**
 * The customer's still over HTTP, for when the call's data channel cannot open
 * (signaling-server/protocol/still-upload.ts has the routes). Chunks go one at
 * a time, each saying where it starts; after a failed request the page asks the
 * node what it holds and carries on from there, so a phone that drops off the
 * network mid-upload resends only what is missing.
 */
import { STILL_UPLOAD_PATH, UPLOAD_CHUNK_BYTES, type StillUploadMeta, type StillUploadStatus } from '../../signaling-server/protocol';

export interface UploadProgress { sent: number; total: number }
export type UploadResult = { ok: true; id: string } | { ok: false; error: string };

export interface UploadOptions {
  /** The node's origin ('' for the page's own). */
  base?: string;
  /** The customer's seat token (the welcome's resume token). */
  seatToken: string;
  onProgress?: (p: UploadProgress) => void;
  /** Tries per request before giving up, and the first wait between them (doubling). */
  attempts?: number;
  retryMs?: number;
  fetchFn?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** Errors that no retry mends. */
const FINAL = new Set(['unauthorized', 'forbidden', 'bad_request', 'too_large', 'hash_mismatch', 'not_found', 'too_many']);

class UploadError extends Error {
  constructor(readonly code: string, readonly received?: number) { super(code); }
}

export async function uploadStill(bytes: Uint8Array, meta: StillUploadMeta, o: UploadOptions): Promise<UploadResult> {
  const base = o.base ?? '';
  const f = o.fetchFn ?? fetch;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const attempts = o.attempts ?? 6;
  const auth = { authorization: `Bearer ${o.seatToken}` };

  const call = async (path: string, init: RequestInit): Promise<StillUploadStatus> => {
    let res: Response;
    try { res = await f(`${base}${path}`, { ...init, cache: 'no-store', headers: { ...auth, ...(init.headers ?? {}) } }); } catch { throw new UploadError('network'); }
    const body = await res.json().catch(() => null) as (StillUploadStatus & { error?: { code?: string }; received?: number }) | null;
    if (res.ok && body) return body;
    throw new UploadError(body?.error?.code ?? `http_${res.status}`, body?.received);
  };
  /** One request, tried again after network failures and busy nodes with a doubling wait. */
  const withRetry = async <T>(run: () => Promise<T>, recover?: (e: UploadError) => Promise<void>): Promise<T> => {
    let wait = o.retryMs ?? 1000;
    for (let i = 1; ; i++) {
      try { return await run(); } catch (err) {
        const e = err instanceof UploadError ? err : new UploadError('network');
        if (FINAL.has(e.code) || i >= attempts) throw e;
        if (e.code !== 'offset_mismatch') { await sleep(wait); wait *= 2; }
        if (recover) await recover(e);
      }
    }
  };

  try {
    const created = await withRetry(() => call(STILL_UPLOAD_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(meta) }));
    const id = created.id;
    let offset = 0;
    o.onProgress?.({ sent: 0, total: bytes.length });
    while (offset < bytes.length) {
      const st = await withRetry(
        // The chunk is cut at each try: a recovery may have moved the offset.
        () => offset >= bytes.length
          ? call(`${STILL_UPLOAD_PATH}/${id}/status`, { method: 'GET' })
          : call(`${STILL_UPLOAD_PATH}/${id}?offset=${offset}`, { method: 'PUT', body: bytes.subarray(offset, Math.min(bytes.length, offset + UPLOAD_CHUNK_BYTES)) as Uint8Array<ArrayBuffer> }),
        // After a failure the node may hold more than we think (the answer was lost): ask, and go on from there.
        async (e) => {
          if (e.code === 'offset_mismatch' && e.received !== undefined) { offset = e.received; return; }
          const s = await call(`${STILL_UPLOAD_PATH}/${id}/status`, { method: 'GET' }).catch(() => null);
          if (s) offset = s.received;
        },
      );
      offset = st.received;
      o.onProgress?.({ sent: offset, total: bytes.length });
      if (st.done) return { ok: true, id };
    }
    return { ok: true, id };
  } catch (err) {
    return { ok: false, error: err instanceof UploadError ? err.code : 'network' };
  }
}
