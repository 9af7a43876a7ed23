/** A failure the case service reports as a typed result instead of a crash. */
export class CaseError extends Error {
  constructor(readonly code: 'invalid_argument' | 'not_found' | 'conflict' | 'forbidden' | 'evidence_corrupt' | 'bundle_tampered' | 'schema_too_new' | 'internal', message: string) {
    super(message);
  }
}

export const notFound = (what: string) => new CaseError('not_found', `${what} not found`);
