/**
 * Technician guests in the case's timeline: invited, joined, removed, left,
 * written into the case open on this desk as they happen (the three-way
 * session is part of the case's record, like the visual session itself).
 * With no case open nothing is written. Retried like the session's events
 * (durable-write.ts).
 */
import { call } from '../../bridge/workstation';
import { durableWrite } from '../../cases/durable-write';
import { casesStore } from '../../cases/store';
import type { AgentGuests } from './agent-guests';

export function recordGuests(guests: Pick<AgentGuests, 'onEvent'>): () => void {
  return guests.onEvent(({ action, name }) => {
    const caseId = casesStore.get().activeCaseId;
    if (caseId === null) return;
    const event = { type: 'guest' as const, action, role: 'technician' as const, ...(name ? { name: name.slice(0, 120) } : {}) };
    void durableWrite('session', caseId, () => call('cases:appendEvent', { caseId, event }));
  });
}
