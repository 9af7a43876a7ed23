/**
 * What the customer's page says in each state of the call, in the current language. Pure
 * (state in, strings out), so the view only places them.
 */
import type { CustomerCallState, InvalidReason } from '../customer-call';
import type { CustomerNotice } from '../handoff-notice';
import { t } from '../messages';

type Key = Parameters<typeof t>[0];

const INVALID: Record<InvalidReason, [Key, Key]> = {
  used: ['invalidUsedTitle', 'invalidUsedBody'],
  expired: ['invalidExpiredTitle', 'invalidExpiredBody'],
  unknown: ['invalidUnknownTitle', 'invalidUnknownBody'],
  unreachable: ['invalidUnreachableTitle', 'invalidUnreachableBody'],
};

/** Title and body of the refusal for a link that cannot be used. */
export function invalidText(reason: InvalidReason): { title: string; body: string } {
  const [title, body] = INVALID[reason];
  return { title: t(title), body: t(body) };
}

export function endedText(reason: CustomerCallState['endedReason']): string {
  return reason === 'agent_hangup' ? t('endedAgent') : reason === 'self_hangup' ? t('endedSelf') : reason === 'expired' ? t('endedExpired') : t('endedOther');
}

/** The hand-off notice: who joined or left, hold, transfer. */
export function noticeText(n: CustomerNotice): string {
  const named = (withName: Key, without: Key, name?: string) => (name ? t(withName, { name }) : t(without));
  switch (n.kind) {
    case 'hold': return n.video === 'paused' ? t('holdPaused') : t('holdKept');
    case 'transfer_waiting': return t('transferWaiting');
    case 'transferred': return named('transferred', 'transferredNoName', n.name);
    case 'joined': return n.role === 'technician' ? named('techJoined', 'techJoinedNoName', n.name) : named('agentJoined', 'agentJoinedNoName', n.name);
    case 'left': return named('techLeft', 'techLeftNoName', n.name);
  }
}

/** The line beside the status dot while the call is live. */
export function statusText(s: Pick<CustomerCallState, 'phase' | 'source'>): string {
  switch (s.phase) {
    case 'starting': return t('starting');
    case 'waiting': return t('waiting');
    case 'connecting': return t('connecting');
    case 'connected': return s.source === 'screen' ? t('youAreSharingScreen') : t('youAreSharing');
    case 'reconnecting': return t('reconnecting');
    default: return '';
  }
}

/** The figures behind the status dot, as data attributes (diagnostics and end-to-end tests read them); null removes one. */
export function figureAttrs(s: Pick<CustomerCallState, 'figures'>): Record<string, string | number | null> {
  const f = s.figures;
  return {
    'data-audio-in-bytes': f ? f.audioInBytes : null,
    'data-audio-out-bytes': f ? f.audioOutBytes : null,
    'data-rtt-ms': f ? f.rttMs ?? '' : null,
    'data-path': f ? f.localCandidateType ?? '' : null,
  };
}
