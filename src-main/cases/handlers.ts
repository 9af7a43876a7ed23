import type { CaseChannel } from './factory';
import type { HandlersOf } from '../router';
import { ApiFailure } from '../router';
import { CaseError } from './errors';
import { SchemaTooNewError } from './migrations';
import type { CaseService } from './service';
import type { VerifiedApproval } from './approval';

/** Turns a grant string into a VerifiedApproval for exactly this credit, or throws a typed error (approvals/grant.ts). */
export type GrantCheck = (grant: string, want: { caseId: number; amountMinor: number; currency: string; agentId: string; installId?: string }) => Promise<VerifiedApproval>;

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

/** The case cache is opened lazily by the service factory; if it cannot open, every call says why. */
export function createCaseHandlers(s: { cases: { get(): CaseService }; checkGrant?: GrantCheck }): HandlersOf<CaseChannel> {
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
    'cases:getEvidence': ({ caseId, sha256 }) => typed(async () => {
      const e = await c().getCaseEvidence(caseId, sha256);
      return { sha256: e.sha256, mime: e.mime as never, bytesBase64: e.bytes.toString('base64') };
    }),
    'cases:search': ({ query, limit }) => typed(() => c().searchCases(query, limit)),
    'cases:addNote': ({ caseId, text }) => typed(() => c().addNote(caseId, text)),
    'cases:setDisposition': ({ caseId, disposition }) => typed(() => c().setDisposition(caseId, disposition)),
    'cases:issueCredit': ({ caseId, amountMinor, reason, approvalGrant, approvedBy }) => typed(async () => {
      // A name typed in a form is not an approval: only a grant the signaling server signed is.
      if (approvedBy !== undefined) throw new ApiFailure('approval_invalid', 'a typed name is not an approval; ask a supervisor with "Ask for approval"');
      let approval: VerifiedApproval | null = null;
      if (approvalGrant !== undefined) {
        if (!s.checkGrant) throw new ApiFailure('approval_unverifiable', 'this workstation cannot verify approvals (no signaling server configured)');
        const svc = c();
        const currency = await svc.caseCurrency(caseId);
        if (currency === undefined) throw new ApiFailure('not_found', `case ${caseId} not found`);
        if (currency === null) throw new ApiFailure('invalid_argument', `case ${caseId} has no account, so there is no currency to credit in`);
        approval = await s.checkGrant(approvalGrant, { caseId, amountMinor, currency, agentId: svc.agentId, installId: await svc.installId() });
      }
      return c().issueCredit({ caseId, amountMinor, reason }, approval);
    }),
    'cases:creditPolicy': ({ currency }) => typed(() => c().creditPolicy(currency)),
    'cases:auditLog': ({ caseId }) => typed(() => c().auditLog(caseId)),
    'cases:transfer': ({ caseId, toAgentId, reason }) => typed(() => c().transfer(caseId, toAgentId, reason)),
    'cases:exportBundle': ({ caseId }) => typed(() => c().exportBundle(caseId)),
    'cases:importBundle': ({ bundleName, fingerprint }) => typed(() => c().importBundle(bundleName, fingerprint)),
    'cases:bundleImports': ({ limit }) => typed(() => c().bundleImports(limit)),
    'cases:outboxStatus': () => typed(() => c().outboxStatus()),
  };
}
