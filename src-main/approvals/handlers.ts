import type { HandlersOf } from '../router';
import { ApiFailure } from '../router';
import type { AuthService } from '../auth/service';
import type { ApprovalService } from './service';

/** Role checks here are for a clear early answer; the signaling server enforces them. */
export function createApprovalHandlers(s: { approvals: ApprovalService; auth: AuthService }): HandlersOf<'approvals:request' | 'approvals:status' | 'approvals:pending' | 'approvals:decide'> {
  const need = (role: 'agent' | 'supervisor') => {
    const u = s.auth.user();
    if (!u) throw new ApiFailure('unauthorized', 'sign in first');
    if (!u.roles.includes(role)) throw new ApiFailure('forbidden', role === 'supervisor' ? 'only a supervisor can see and decide approvals' : 'only an agent can ask for approvals');
  };
  return {
    'approvals:request': (input) => { need('agent'); return s.approvals.request(input); },
    'approvals:status': ({ requestId }) => { need('agent'); return s.approvals.status(requestId); },
    'approvals:pending': () => { need('supervisor'); return s.approvals.pending(); },
    'approvals:decide': ({ requestId, decision }) => { need('supervisor'); return s.approvals.decide(requestId, decision); },
  };
}
