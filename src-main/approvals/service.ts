/**
 * The workstation's side of approvals: asks the signaling server (over HTTP,
 * with the signed-in user's access token, which stays in main), lists and
 * decides for supervisors, and verifies grants before a credit is written.
 * What the request says about the case (customer, currency) comes from this
 * workstation's own case cache, not from the renderer.
 */
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { APPROVALS_JWKS_PATH } from '../../signaling-server/protocol';
import type { ApprovalStatus, PendingApproval } from '../../src-preload/contract/approvals';
import { ApiFailure } from '../router';
import type { AuthService } from '../auth/service';
import { AuthError } from '../auth/service';
import type { CaseService } from '../cases/service';
import type { VerifiedApproval } from '../cases/approval';
import { verifyGrant, type ExpectedCredit } from './grant';

export interface ApprovalServiceOptions {
  signalingUrl: string;
  auth: AuthService;
  cases: { get(): CaseService };
  /** Tests inject a local key set; default the server's JWKS. */
  keys?: JWTVerifyGetKey;
  now?: () => number;
  /** Main's proxy- and CA-aware fetch (network/fetch.ts), for the API and the approval key set alike. */
  fetch?: typeof fetch;
}

export interface ApprovalService {
  request(input: { caseId: number; amountMinor: number; reason: string }): Promise<PendingApproval>;
  /** One of the signed-in agent's own requests (the server answers 404 for anyone else's). */
  status(requestId: string): Promise<ApprovalStatus>;
  pending(): Promise<PendingApproval[]>;
  decide(requestId: string, decision: 'approve' | 'decline'): Promise<{ outcome: 'approved' | 'declined' }>;
  verify(grant: string, want: ExpectedCredit): Promise<VerifiedApproval>;
}

export function createApprovalService(o: ApprovalServiceOptions): ApprovalService {
  const base = o.signalingUrl.replace(/\/+$/, '');
  const f = o.fetch ?? fetch;
  let keys = o.keys;
  const keySet = () => (keys ??= createRemoteJWKSet(new URL(`${base}${APPROVALS_JWKS_PATH}`), { timeoutDuration: 5000, cooldownDuration: 10_000, ...(o.fetch ? { [customFetch]: o.fetch } : {}) }));

  async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let token: string;
    try {
      token = await o.auth.accessToken();
    } catch (err) {
      if (err instanceof AuthError) throw new ApiFailure('unauthorized', err.message);
      throw err;
    }
    let res: Response;
    try {
      res = await f(`${base}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new ApiFailure('unavailable', 'the signaling server cannot be reached; try again');
    }
    const json = await res.json().catch(() => undefined) as { error?: { code?: string; message?: string } } | undefined;
    if (!res.ok) {
      const code = json?.error?.code ?? 'unavailable';
      // the server's typed codes pass through: forbidden, not_found, already_decided, expired, too_many, unauthorized
      throw new ApiFailure(code === 'expired' ? 'approval_expired' : code, json?.error?.message ?? `the signaling server answered ${res.status}`);
    }
    return json as T;
  }

  return {
    async request(input) {
      const svc = o.cases.get();
      const { case: c, customer } = await svc.getCase(input.caseId).catch((err: { code?: string; message?: string }) => {
        throw new ApiFailure(err.code ?? 'not_found', err.message ?? `case ${input.caseId}`);
      });
      const account = customer.accounts.find((a) => a.id === c.accountId);
      if (!account) throw new ApiFailure('invalid_argument', `case ${input.caseId} has no account, so there is no currency to credit in`);
      const installId = await svc.installId();
      const r = await api<{ request: PendingApproval }>('POST', '/approvals', {
        caseId: input.caseId, installId, customerName: customer.name, amountMinor: input.amountMinor, currency: account.currency, reason: input.reason,
      });
      return r.request;
    },
    async status(requestId) {
      return api<ApprovalStatus>('GET', `/approvals/${encodeURIComponent(requestId)}`);
    },
    async pending() {
      return (await api<{ requests: PendingApproval[] }>('GET', '/approvals/pending')).requests;
    },
    async decide(requestId, decision) {
      return api<{ outcome: 'approved' | 'declined' }>('POST', `/approvals/${encodeURIComponent(requestId)}/decision`, { decision });
    },
    verify(grant, want) {
      return verifyGrant(grant, want, { issuer: base, keys: keySet(), ...(o.now ? { now: o.now } : {}) });
    },
  };
}
