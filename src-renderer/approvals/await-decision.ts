/**
 * The agent's side of waiting for a supervisor: the decision arrives live on
 * the signaling socket (`approval_decided`), or, when the socket was down at
 * that moment, from `approvals:status` asked when it comes back. Whichever
 * comes first is acted on, once: the
 * request is claimed before the asynchronous `cases:issueCredit`, so a live
 * frame and a status answer for the same request make one credit and no
 * error. Main still verifies the grant and records its nonce once.
 *
 * Plain module (no React): the workstation's credit waits
 * (cases/credit-waits.ts) wire it to the feed and IPC; the unit test drives it directly.
 */
import type { ApiError, Result } from '../../src-preload/contract/types';
import type { ApprovalStatus } from '../../src-preload/contract/approvals';
import type { ExtraFrame } from '../agent/agent-call';

export interface Decision {
  outcome: 'approved' | 'declined' | 'expired';
  grant?: string;
  approver?: { sub: string; name?: string };
}

export type Settled<C> =
  | { kind: 'declined' }
  | { kind: 'expired' }
  /** approved, but the grant's lifetime ran out before this workstation got it: nothing credited */
  | { kind: 'lapsed' }
  | { kind: 'credited'; result: C; by: string }
  | { kind: 'credit_failed'; error: ApiError };

export interface AwaitDecisionOptions<C> {
  requestId: string;
  /** Approval frames from the signaling socket. Returns unsubscribe. */
  onFrame(fn: (m: ExtraFrame) => void): () => void;
  /** The signaling socket is back (a `welcome`). Returns unsubscribe. */
  onSignalingBack(fn: () => void): () => void;
  /** `approvals:status` for this request. */
  status(): Promise<Result<ApprovalStatus>>;
  /** `cases:issueCredit` with the grant, for exactly the credit asked for. */
  issueCredit(grant: string): Promise<Result<C>>;
  settled(s: Settled<C>): void;
}

/** Requests already acted on, across form instances (a remount, a second watcher): one credit each. */
const claimed = new Set<string>();

/** True the first time only. */
export function claimDecision(requestId: string): boolean {
  if (claimed.has(requestId)) return false;
  claimed.add(requestId);
  return true;
}

/** Watch one waiting request until its decision is acted on. Returns stop (unmount). */
export function awaitDecision<C>(o: AwaitDecisionOptions<C>): () => void {
  let stopped = false;

  const act = (d: Decision): void => {
    if (stopped || !claimDecision(o.requestId)) return;
    stopAll();
    if (d.outcome === 'declined') { o.settled({ kind: 'declined' }); return; }
    if (d.outcome === 'expired') { o.settled({ kind: 'expired' }); return; }
    if (!d.grant) { o.settled({ kind: 'lapsed' }); return; }
    const by = d.approver?.name ?? d.approver?.sub ?? '';
    void o.issueCredit(d.grant).then(
      (r) => o.settled(r.ok ? { kind: 'credited', result: r.value, by } : { kind: 'credit_failed', error: r.error }),
      (err: unknown) => o.settled({ kind: 'credit_failed', error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } }),
    );
  };

  const check = (): void => {
    void o.status().then((r) => {
      // still open, or not answerable now (server unreachable): keep waiting for the frame or the next reconnect
      if (!r.ok || r.value.state === 'open') return;
      act({ outcome: r.value.state, ...(r.value.grant ? { grant: r.value.grant } : {}), ...(r.value.approver ? { approver: r.value.approver } : {}) });
    }, () => { /* as above */ });
  };

  const offFrame = o.onFrame((m) => {
    if (m.type !== 'approval_decided' || m.requestId !== o.requestId) return;
    act({ outcome: m.outcome, ...(m.grant ? { grant: m.grant } : {}), ...(m.approver ? { approver: m.approver } : {}) });
  });
  const offBack = o.onSignalingBack(check);
  function stopAll(): void {
    stopped = true;
    offFrame();
    offBack();
  }
  return stopAll;
}
