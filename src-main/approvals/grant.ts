/**
 * Main's check of a supervisor's approval before a credit is written: the
 * grant must be signed by the signaling server's approval key (EdDSA, fetched
 * as a JWKS), addressed to credit approvals, unexpired, and bound to exactly
 * this case, amount, currency, agent (and workstation install). What passes
 * becomes a VerifiedApproval; the one-time nonce is then recorded in the same
 * transaction as the credit, so a replay is refused there. Anything else is a
 * typed ApprovalError: the renderer never gets to "approve" by saying so.
 */
import { errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { GRANT_AUDIENCE, GRANT_TYP, GrantClaims } from '../../signaling-server/protocol';
import type { VerifiedApproval } from '../cases/approval';

export type ApprovalErrorCode =
  /** not a grant at all (a typed name, garbage) or a bad signature */
  | 'approval_invalid'
  /** signed, but for another case, amount, currency, agent or workstation */
  | 'approval_mismatch'
  | 'approval_expired'
  /** its nonce was already used for a credit */
  | 'approval_replayed'
  /** the approval key set could not be fetched */
  | 'approval_unverifiable';

export class ApprovalError extends Error {
  override name = 'ApprovalError';
  constructor(readonly code: ApprovalErrorCode, message: string) { super(message); }
}

export interface ExpectedCredit {
  caseId: number;
  amountMinor: number;
  currency: string;
  agentId: string;
  installId?: string;
}

export interface GrantVerifierOptions {
  /** The signaling server's public URL (the grants' issuer). */
  issuer: string;
  keys: JWTVerifyGetKey;
  now?: () => number;
  clockToleranceSec?: number;
}

export async function verifyGrant(grant: string, want: ExpectedCredit, o: GrantVerifierOptions): Promise<VerifiedApproval> {
  if (typeof grant !== 'string' || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(grant)) {
    throw new ApprovalError('approval_invalid', 'this is not a supervisor\'s approval (a typed name or text is not accepted); ask for approval from the workstation');
  }
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(grant, o.keys, {
      issuer: o.issuer,
      audience: GRANT_AUDIENCE,
      typ: GRANT_TYP,
      algorithms: ['EdDSA', 'Ed25519'],
      currentDate: new Date((o.now ?? Date.now)()),
      clockTolerance: o.clockToleranceSec ?? 5,
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new ApprovalError('approval_expired', 'this approval has expired; ask the supervisor again');
    if (err instanceof joseErrors.JWKSTimeout || (err instanceof TypeError && /fetch/i.test(err.message))) {
      throw new ApprovalError('approval_unverifiable', 'the approval key could not be fetched from the signaling server; try again');
    }
    if (err instanceof joseErrors.JWTClaimValidationFailed) throw new ApprovalError('approval_invalid', `this approval was not issued for credits here (${err.claim})`);
    throw new ApprovalError('approval_invalid', 'this approval\'s signature does not verify');
  }
  const c = GrantClaims.safeParse(payload);
  if (!c.success) throw new ApprovalError('approval_invalid', 'this approval is malformed');
  const g = c.data;
  const mismatch: string[] = [];
  if (g.case !== want.caseId) mismatch.push('case');
  if (g.amt !== want.amountMinor) mismatch.push('amount');
  if (g.cur !== want.currency) mismatch.push('currency');
  if (g.sub !== want.agentId) mismatch.push('agent');
  if (want.installId !== undefined && g.ins !== undefined && g.ins !== want.installId) mismatch.push('workstation');
  if (mismatch.length) throw new ApprovalError('approval_mismatch', `this approval is for a different ${mismatch.join(', ')}`);
  return { approverId: g.approver.sub, approverName: g.approver.name ?? g.approver.sub, nonce: g.nonce, grantId: g.jti };
}
