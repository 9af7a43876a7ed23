/**
 * Credits waiting for a supervisor, kept by the workstation rather than by the credit form: the
 * agent moves on to the next case while the supervisor decides, and the approved credit still
 * lands in the case it was asked for (await-decision.ts acts on the decision once). The form
 * shows its case's wait, and an outcome that came while it was not shown, when it is shown again.
 */
import type { Result } from '../../src-preload/contract/types';
import type { ApprovalStatus } from '../../src-preload/contract/approvals';
import type { ExtraFrame } from '../agent/agent-call';
import { awaitDecision, type Settled } from '../approvals/await-decision';

/** What `cases:issueCredit` answers, as far as the form needs it. */
export type CreditAnswer =
  | { state: 'needs_approval', limitWithoutApprovalMinor: number }
  | { state: 'granted' | 'approved', audited: boolean, auditThresholdMinor: number };

export interface CreditAsk { requestId: string, amount: number, reason: string }

export type CreditWait =
  | { kind: 'waiting' } & CreditAsk
  | { kind: 'settled', settled: Settled<CreditAnswer> } & CreditAsk;

export interface CreditWaitDeps {
  onFrame(fn: (m: ExtraFrame) => void): () => void;
  onSignalingBack(fn: () => void): () => void;
  status(requestId: string): Promise<Result<ApprovalStatus>>;
  issueCredit(caseId: number, ask: CreditAsk, grant: string): Promise<Result<CreditAnswer>>;
  /** After a credit landed (the case list and history show it). */
  credited(caseId: number): void;
}

export interface CreditWaits {
  /** A request was made: wait for its decision, whatever the agent opens meanwhile. */
  start(caseId: number, ask: CreditAsk): void;
  get(caseId: number): CreditWait | undefined;
  /** The form showed the outcome: it is not shown again. */
  seen(caseId: number, requestId: string): void;
  subscribe(fn: () => void): () => void;
}

export function createCreditWaits(deps: CreditWaitDeps): CreditWaits {
  const byCase = new Map<number, CreditWait>();
  const stops = new Map<string, () => void>();
  const fns = new Set<() => void>();
  const changed = () => { for (const fn of [...fns]) fn(); };

  return {
    start(caseId, ask) {
      // a newer request for the case replaces the older one's wait (the form asks one at a time)
      const old = byCase.get(caseId);
      if (old?.kind === 'waiting') { stops.get(old.requestId)?.(); stops.delete(old.requestId); }
      byCase.set(caseId, { kind: 'waiting', ...ask });
      stops.set(ask.requestId, awaitDecision<CreditAnswer>({
        requestId: ask.requestId,
        onFrame: deps.onFrame,
        onSignalingBack: deps.onSignalingBack,
        status: () => deps.status(ask.requestId),
        issueCredit: (grant) => deps.issueCredit(caseId, ask, grant),
        settled: (settled) => {
          stops.delete(ask.requestId);
          if (byCase.get(caseId)?.requestId !== ask.requestId) return;
          byCase.set(caseId, { kind: 'settled', settled, ...ask });
          if (settled.kind === 'credited') deps.credited(caseId);
          changed();
        },
      }));
      changed();
    },
    get: (caseId) => byCase.get(caseId),
    seen(caseId, requestId) {
      const w = byCase.get(caseId);
      if (w?.kind === 'settled' && w.requestId === requestId) byCase.delete(caseId);
    },
    subscribe(fn) { fns.add(fn); return () => { fns.delete(fn); }; },
  };
}
