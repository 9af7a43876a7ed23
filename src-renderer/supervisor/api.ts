/**
 * The reporting API of the signaling node, from the page it serves (same
 * origin). The bearer token is the user's sign-in; it stays in this tab's
 * sessionStorage only. Every role check happens on the server: the page
 * shows what the server answers, including 403.
 */
const KEY = 'va-reporting-token';

export function getToken(): string | null {
  try { return sessionStorage.getItem(KEY); } catch { return null; }
}
export function setToken(token: string | null): void {
  try { if (token) sessionStorage.setItem(KEY, token); else sessionStorage.removeItem(KEY); } catch { /* private mode: this page load only */ }
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const token = getToken();
  const res = await fetch(`/reporting/v1/${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) {
    const e = await res.json().catch(() => null) as { error?: { code: string; message: string } } | null;
    throw new ApiError(res.status, e?.error?.code ?? 'http', e?.error?.message ?? `HTTP ${res.status}`);
  }
  return res.json() as Promise<T>;
}

/** CSV comes with the bearer header too, so it is fetched and handed to the browser as a file. */
export async function download(path: string, name: string): Promise<void> {
  const res = await fetch(`/reporting/v1/${path}`, { headers: { authorization: `Bearer ${getToken() ?? ''}` } });
  if (!res.ok) throw new ApiError(res.status, 'http', `HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface Who { sub: string; name: string | null; roles: string[] }
export interface BoardEntry { agentId: string; name: string | null; status: 'available' | 'inviting' | 'on_call'; since: number; roomId: string | null; guests: string[] }
export interface AuditItem { contactId: string; creditSeq: number; agentId: string; at: number; amountMinor: number; currency: string; reason: string; verdict: string | null }
export interface KpiRow {
  key: string; contacts: number; closed: number;
  fcr: { resolvedFirst: number; rate: number | null };
  aht: { segments: number; avgSec: number | null };
  csat: { n: number; topTwo: number; rate: number | null; suppressed: boolean; offered: number; responseRate: number | null };
  dispatches: { candidates: number; avoided: number };
  visual: { sessions: number; share: number | null; noFrame: number };
  credits: { count: number; sumMinor: Record<string, number>; audited: number; questioned: number };
}
export interface KpiReport {
  total: KpiRow; rows: KpiRow[]; settings: { csatMinN: number; fcrWindowDays: number };
  firstFrame: { n: number; p50Ms: number | null; p90Ms: number | null };
  noFrameByCause: Array<{ cause: string; n: number }>;
}
export interface ContactRow { contactId: string; agentId: string; day: string; category: string; queue: string; outcome: string | null; firstContactResolved: boolean; handleSec: number; csat: number | null; credits: number }
