/**
 * Whether the customer's invite can be used: the server wrote its state into the page it
 * served (consent-page.ts); only a page without it (served by something else) asks the server.
 * The served state is read synchronously on purpose: the page's boot binds an early Start
 * right after the call's init, which must have set the consent phase by then.
 */
import { INVITE_STATE_META, inviteStatusPath, parseInviteState, parseInviteStatus, type InviteState } from '../../signaling-server/protocol';

/** The state the server wrote into the page, if it did. */
export function servedInviteState(): InviteState | undefined {
  return parseInviteState(document.querySelector<HTMLMetaElement>(`meta[name="${INVITE_STATE_META}"]`)?.content);
}

/** The state as the server tells it now; 'unreachable' when it cannot be asked. */
export async function fetchInviteState(token: string): Promise<InviteState | 'unreachable'> {
  try {
    const r = await fetch(inviteStatusPath(token), { cache: 'no-store' });
    return parseInviteStatus(await r.json()) ?? 'unknown';
  } catch {
    return 'unreachable';
  }
}
