/**
 * A supervisor's approval as the credit write path receives it: already
 * verified by main (issue 12's signed grants), never a name the renderer
 * typed. The writer records who approved and which grant, in the same
 * transaction as the credit.
 */
export interface VerifiedApproval {
  approverId: string;
  approverName: string;
  /** The grant's one-time nonce (main refuses a replay before the write). */
  nonce: string;
  grantId: string;
}
