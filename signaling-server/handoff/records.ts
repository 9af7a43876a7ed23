/**
 * What the store keeps for hand-offs and presence (issue 13). Plain JSON
 * records: the memory store keeps copies, the Redis store JSON strings.
 */
import type { HandoffKind, HandoffTarget, PresenceStatus } from '../protocol/index';
import type { Role } from '../identity/identity';

export type HandoffRecordState = 'offered' | 'accepted' | 'declined' | 'cancelled' | 'timeout' | 'completed' | 'failed';

export interface HandoffRecord {
  id: string;
  kind: HandoffKind;
  roomId: string;
  fromAgentId: string;
  /** agent 1's seat in the room */
  fromMemberId: string;
  fromName?: string;
  to: HandoffTarget;
  note: string;
  caseRef?: string;
  customerName?: string;
  video?: 'paused' | 'kept';
  state: HandoffRecordState;
  createdAt: number;
  /** an `offered` hand-off times out at this time */
  expiresAt: number;
  acceptedBy?: string;
  /** the receiving agent's seat in the room */
  acceptedMemberId?: string;
}

export const OPEN_HANDOFF_STATES: readonly HandoffRecordState[] = ['offered', 'accepted'];

export interface PresenceRecord {
  id: string;
  name?: string;
  roles: Role[];
  status: PresenceStatus;
  skills: string[];
  queues: string[];
  /** last refresh (ms); entries not refreshed for the presence TTL are gone (a node died) */
  updatedAt: number;
}

export type HandoffUpdateResult = { ok: true, rec: HandoffRecord } | { ok: false, rec?: HandoffRecord };

export function copyHandoff(h: HandoffRecord): HandoffRecord {
  return JSON.parse(JSON.stringify(h)) as HandoffRecord;
}
