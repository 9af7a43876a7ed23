/**
 * Where uploaded stills wait for the agent: in the node's memory, or in Redis
 * when several nodes share a deployment (the customer's PUTs and the agent's
 * GET may land on different nodes).
 *
 * Atomicity rules, which both implementations keep:
 * - `create` is write-once: an id that exists is not overwritten (false).
 * - `append` applies a chunk only if its offset equals the bytes already held,
 *   checked and applied as one step: of two PUTs racing for one offset exactly
 *   one lands, the other hears `offset_mismatch` with the new length, so a
 *   retried chunk is never applied twice.
 * - A chunk that would take the upload past its announced size is refused whole.
 * - Everything expires `ttlMs` after creation; an expired upload is `unknown`.
 */
import type { StillUploadMeta } from '../protocol/still-upload';

export interface UploadRecord extends StillUploadMeta {
  id: string;
  roomId: string;
  /** The customer's seat that made it; only it may add chunks. */
  memberId: string;
  createdAt: number;
}

export type AppendResult =
  | { ok: true, received: number }
  | { ok: false, reason: 'unknown' | 'offset_mismatch' | 'too_large', received: number };

export interface StillUploads {
  create(rec: UploadRecord, ttlMs: number): Promise<boolean>;
  append(id: string, offset: number, chunk: Buffer): Promise<AppendResult>;
  /** The record and how many bytes are held. */
  status(id: string): Promise<{ rec: UploadRecord, received: number } | undefined>;
  /** The record and its bytes (whole or not). */
  read(id: string): Promise<{ rec: UploadRecord, bytes: Buffer } | undefined>;
  remove(id: string): Promise<void>;
  /** Uploads this seat has open (a customer may not hold the node's memory with many). */
  openFor(roomId: string, memberId: string): Promise<number>;
  close(): Promise<void>;
}
