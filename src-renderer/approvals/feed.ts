/**
 * Approval frames from the signaling socket, for whichever panel wants them
 * (the supervisor's inbox, the agent's credit form). main.tsx feeds it from
 * the AgentCall; panels subscribe without needing the call itself.
 */
import type { ExtraFrame } from '../agent/agent-call';

const fns = new Set<(m: ExtraFrame) => void>();
const backFns = new Set<() => void>();

export const approvalFeed = {
  emit(m: ExtraFrame): void {
    for (const fn of fns) { try { fn(m); } catch (err) { console.error('approval feed handler failed', err); } }
  },
  on(fn: (m: ExtraFrame) => void): () => void {
    fns.add(fn);
    return () => { fns.delete(fn); };
  },
  /** The signaling socket is (back) in: frames sent while it was down are not resent, so waiters ask. */
  back(): void {
    for (const fn of backFns) { try { fn(); } catch (err) { console.error('approval feed handler failed', err); } }
  },
  onBack(fn: () => void): () => void {
    backFns.add(fn);
    return () => { backFns.delete(fn); };
  },
};
