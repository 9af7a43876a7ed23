/** The workstation's one set of credit waits (credit-waits.ts), wired to the approval feed, IPC and the case list. */
import { call } from '../bridge/workstation';
import { approvalFeed } from '../approvals/feed';
import { createCreditWaits } from './credit-waits';
import { refresh } from './store';

export const creditWaits = createCreditWaits({
  onFrame: (fn) => approvalFeed.on(fn),
  onSignalingBack: (fn) => approvalFeed.onBack(fn),
  status: (requestId) => call('approvals:status', { requestId }),
  issueCredit: (caseId, ask, grant) => call('cases:issueCredit', { caseId, amountMinor: ask.amount, reason: ask.reason, approvalGrant: grant }),
  credited: () => { void refresh(); },
});
