/** What the hub's parts share: config, store, seat table, error replies, counters. One object per hub. */
import type { ResolvedConfig } from '../config/index';
import type { SignalingStore } from '../store';
import type { ErrorReplies } from './errors';
import type { SeatTable } from './seat-table';
import type { VerifyBearer } from '../identity/verify-bearer';

export interface HubCounters {
  invitesCreated: number;
  joins: number;
  resumes: number;
  roomsOpen: number;
}

export interface HubContext {
  readonly cfg: ResolvedConfig;
  readonly store: SignalingStore;
  readonly seats: SeatTable;
  readonly errors: ErrorReplies;
  readonly counters: HubCounters;
  /** Routine per-socket events (open, join, hang-up, ...) are logged; off, their records are not even built. */
  readonly routine: boolean;
  /** base of invite links, known once the server listens */
  publicUrl: string;
  /** Turns an agent socket's token into an Identity (IdP JWT or service token); set once the server knows its IdP. */
  verify: VerifyBearer;
}
