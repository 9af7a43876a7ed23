/** Codes a case call can fail with; each reaches the renderer as a typed Result error. */
export type CaseErrorCode =
  | 'invalid_argument' | 'not_found' | 'conflict' | 'forbidden' | 'evidence_corrupt' | 'bundle_tampered' | 'schema_too_new'
  /** Another connection or process holds the database's write lock longer than the busy timeout: try again. */
  | 'busy'
  /** The disk (or the file's size cap) is full: nothing was written. */
  | 'disk_full'
  /** The case has a disposition (resolved, dispatched, escalated): no more credits on it. */
  | 'case_closed'
  /** A supervisor's approval (its one-time nonce) was already used for a credit. */
  | 'approval_replayed'
  /** A bundle holding credit, approval or transfer events whose exporter could not be verified: nothing imported. */
  | 'bundle_unverified'
  | 'internal';

export const CASE_ERROR_CODES: readonly CaseErrorCode[] = ['invalid_argument', 'not_found', 'conflict', 'forbidden', 'evidence_corrupt', 'bundle_tampered', 'schema_too_new', 'busy', 'disk_full', 'case_closed', 'approval_replayed', 'bundle_unverified', 'internal'];

/** A failure the case service reports as a typed result instead of a crash. */
export class CaseError extends Error {
  constructor(readonly code: CaseErrorCode, message: string) {
    super(message);
  }
}

export const notFound = (what: string) => new CaseError('not_found', `${what} not found`);
