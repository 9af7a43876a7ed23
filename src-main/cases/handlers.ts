import type { CaseChannel } from './factory';
import type { HandlersOf } from '../router';
import { ApiFailure } from '../router';
import { CaseError } from './errors';
import { SchemaTooNewError } from './migrations';
import type { CaseService } from './service';
import type { VerifiedApproval } from './approval';

/** Expected failures become typed results (not_found, conflict, bundle_tampered, busy, disk_full, ...), never 'internal'. */
async function typed<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CaseError) throw new ApiFailure(err.code, err.message);
    if (err instanceof SchemaTooNewError) throw new ApiFailure(err.code, err.message);
    throw err;
  }
}

/**
 * The approval as the contract carries it today: a supervisor id typed in
 * the form. Issue 12's signed grants replace this with a grant main
 * verifies; the write path already takes only a VerifiedApproval.
 */
function typedNameApproval(approvedBy: string | undefined): VerifiedApproval | null {
  return approvedBy ? { approverId: approvedBy, approverName: approvedBy, nonce: '', grantId: '' } : null;
}

/** The case cache is opened lazily by the service factory; if it cannot open, every call says why. */
export function createCaseHandlers(s: { cases: { get(): CaseService } }): HandlersOf<CaseChannel> {
  const c = () => s.cases.get();
  return {
    'cases:screenPop': ({ ani }) => typed(() => c().screenPop(ani)),
    'cases:lookupByAni': ({ ani }) => typed(() => c().lookupByAni(ani)),
    'customers:create': (input) => typed(() => c().createCustomer(input)),
    'customers:get': ({ customerId }) => typed(() => c().getCustomer(customerId)),
    'customers:getExpectedCharge': ({ customerId }) => typed(() => c().expectedCharge(customerId)),
    'cases:create': (input) => typed(() => c().createCase(input)),
    'cases:get': ({ caseId }) => typed(() => c().getCase(caseId)),
    'cases:history': ({ caseId, beforeSeq, limit }) => typed(() => c().history(caseId, beforeSeq, limit)),
    'cases:appendEvent': ({ caseId, event }) => typed(() => c().appendEvent(caseId, event)),
    'cases:putEvidence': ({ caseId, mime, bytesBase64 }) => typed(() => {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(bytesBase64)) throw new CaseError('invalid_argument', 'bytesBase64 is not base64');
      return c().putEvidence(caseId, mime, Buffer.from(bytesBase64, 'base64'));
    }),
    'cases:getEvidence': ({ sha256 }) => typed(async () => {
      const e = await c().getEvidence(sha256);
      return { sha256: e.sha256, mime: e.mime as never, bytesBase64: e.bytes.toString('base64') };
    }),
    'cases:search': ({ query, limit }) => typed(() => c().searchCases(query, limit)),
    'cases:addNote': ({ caseId, text }) => typed(() => c().addNote(caseId, text)),
    'cases:setDisposition': ({ caseId, disposition }) => typed(() => c().setDisposition(caseId, disposition)),
    'cases:issueCredit': ({ approvedBy, ...input }) => typed(() => c().issueCredit(input, typedNameApproval(approvedBy))),
    'cases:creditPolicy': ({ currency }) => typed(() => c().creditPolicy(currency)),
    'cases:auditLog': ({ caseId }) => typed(() => c().auditLog(caseId)),
    'cases:transfer': ({ caseId, toAgentId, reason }) => typed(() => c().transfer(caseId, toAgentId, reason)),
    'cases:exportBundle': ({ caseId }) => typed(() => c().exportBundle(caseId)),
    'cases:importBundle': ({ bundleName }) => typed(() => c().importBundle(bundleName)),
    'cases:outboxStatus': () => typed(() => c().outboxStatus()),
  };
}
