/**
 * Credit approvals (issue 12): an agent asks for a supervisor's approval of a
 * credit above the limit; signed-in supervisors see the request live and
 * decide; an approval comes back as a grant signed by the signaling server,
 * which the agent hands to `cases:issueCredit` and main verifies.
 */
import { z } from 'zod';
import { defineChannels } from './types';
import { Currency, MinorAmount, RowId } from './cases';

const RequestId = z.string().min(1).max(128).regex(/^[A-Za-z0-9_\-.:]+$/);

export const PendingApproval = z.object({
  requestId: RequestId,
  caseId: RowId,
  customerName: z.string(),
  amountMinor: MinorAmount,
  currency: Currency,
  reason: z.string(),
  agent: z.object({ sub: z.string(), name: z.string().optional() }),
  requestedAt: z.number(),
  expiresAt: z.number(),
});
export type PendingApproval = z.infer<typeof PendingApproval>;

/** A compact JWS (the server-signed grant); main verifies it before any credit. */
const Grant = z.string().min(1).max(4096).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

export const ApprovalStatus = z.object({
  state: z.enum(['open', 'approved', 'declined', 'expired']),
  /** an approval's grant, while it is still valid (for `cases:issueCredit`) */
  grant: Grant.optional(),
  approver: z.object({ sub: z.string().max(128), name: z.string().max(128).optional() }).optional(),
});
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

export const approvalChannels = defineChannels({
  /** Agent: ask for approval of this credit. Customer, currency and agent come from main (the case and the signed-in user), not from the renderer. */
  'approvals:request': {
    input: z.object({ caseId: RowId, amountMinor: MinorAmount.refine((n) => n > 0, 'a credit is more than zero'), reason: z.string().trim().min(1).max(500) }).strict(),
    output: PendingApproval,
  },
  /**
   * Agent: where one of its own requests stands (asked again when the signaling socket comes back,
   * since a decision sent while it was down is not resent). An approval carries its grant while valid.
   */
  'approvals:status': { input: z.object({ requestId: RequestId }).strict(), output: ApprovalStatus },
  /** Supervisor: the requests waiting now (live ones arrive on the signaling socket as `approval_requested`). */
  'approvals:pending': { input: z.object({}).strict(), output: z.array(PendingApproval) },
  /** Supervisor: approve or decline. The server checks the role; the agent gets the outcome (and the grant) live. */
  'approvals:decide': {
    input: z.object({ requestId: RequestId, decision: z.enum(['approve', 'decline']) }).strict(),
    output: z.object({ outcome: z.enum(['approved', 'declined']) }),
  },
});
