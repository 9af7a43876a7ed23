/**
 * The renderer's one door to the main process, the same API in both hosts:
 * - Electron: `window.workstation`, exposed by the preload over IPC;
 * - web host: POST /api/invoke on the page's own origin, authorised by the
 *   per-launch secret the start script put in the URL fragment (#k=...).
 *   The fragment never reaches a server or a Referer; we move it to
 *   sessionStorage (per tab) and strip it from the address bar so it is not
 *   bookmarked, shared in a screenshot or kept in history.
 */
import type { ChannelName, Input, Output, Result, WorkstationApi } from '../../src-preload/api';
import { t } from './messages';

const SECRET_KEY = 'workstation.k';
let cached: WorkstationApi | undefined;

/** Read `k` from location.hash once, keep it for this tab, and remove it from the URL. */
export function takeSecretFromLocation(): string | null {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  const params = new URLSearchParams(hash);
  const k = params.get('k');
  if (k) {
    try { sessionStorage.setItem(SECRET_KEY, k); } catch { /* storage disabled: keep it in memory only */ }
    params.delete('k');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    return k;
  }
  try { return sessionStorage.getItem(SECRET_KEY); } catch { return null; }
}

// Take the secret as soon as the bridge loads, so it leaves the address bar
// before the first render (and before any screenshot or screen share).
if (typeof window !== 'undefined' && !window.workstation && /(^#|&)k=/.test(location.hash)) takeSecretFromLocation();

const failure = (code: string, message: string): Result<never> => ({ ok: false, error: { code, message } });

/** A WorkstationApi over the web host's HTTP API. */
export function createWebHostClient(secret: string | null, fetchImpl: typeof fetch = fetch.bind(globalThis)): WorkstationApi {
  return {
    async invoke<C extends ChannelName>(channel: C, input: Input<C>): Promise<Result<Output<C>>> {
      if (!secret) return failure('unauthorized', t('noSecret'));
      let res: Response;
      try {
        res = await fetchImpl('/api/invoke', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
          body: JSON.stringify({ channel, input }),
          credentials: 'omit',
          cache: 'no-store',
        });
      } catch {
        return failure('unavailable', t('unreachable'));
      }
      let body: unknown;
      try { body = await res.json(); } catch { return failure('unavailable', t('badAnswer', { status: res.status })); }
      // The web host's own refusals carry English developer text; this one the agent can act on.
      if (isResult(body) && !body.ok && body.error.code === 'unauthorized') return failure('unauthorized', t('noSecret'));
      if (isResult(body)) return body as Result<Output<C>>;
      return failure('internal', t('badAnswer', { status: res.status }));
    },
  };
}

function isResult(v: unknown): v is Result<unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
  if (r.ok === true) return 'value' in r;
  return r.ok === false && typeof r.error?.code === 'string' && typeof r.error.message === 'string';
}

/** `window.workstation` in Electron, else the web-host client (created once per page). */
export function getWorkstation(): WorkstationApi {
  if (cached) return cached;
  cached = window.workstation ?? createWebHostClient(takeSecretFromLocation());
  return cached;
}

/** Typed shorthand: `const r = await call('audio:getPrefs', {})`. */
export function call<C extends ChannelName>(channel: C, input: Input<C>): Promise<Result<Output<C>>> {
  return getWorkstation().invoke(channel, input);
}

/** For tests: forget the cached API. */
export function resetWorkstationForTests(): void {
  cached = undefined;
}
