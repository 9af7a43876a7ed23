/**
 * 'ocr:showOriginal': a supervisor's look at the sealed original of a
 * redacted still. The role comes from main's own sign-in (never from the
 * renderer); the look is written to the case (original_viewed, with the
 * reason) before a byte is answered, so there is no view without its record.
 */
import type { CaseEventBody } from '../../../src-preload/contract/cases';
import type { SignedInUser } from '../../../src-preload/contract/auth';
import { ApiFailure } from '../../router';
import type { SealedOriginals } from './sealed-originals';

/** Who may open an original. Agents work from the redacted still; the original is for review. */
export const ORIGINAL_VIEWER_ROLES = ['supervisor'] as const;

export interface OriginalAudit {
  /** Appends the original_viewed event as the signed-in user; returns its seq. */
  recordOriginalViewed(caseId: number, event: Extract<CaseEventBody, { type: 'original_viewed' }>): Promise<{ seq: number }>;
}

export function createShowOriginal(deps: { originals: SealedOriginals | null; user: () => SignedInUser | null; audit: () => OriginalAudit }) {
  return async (input: { caseId: number; sha256: string; reason: string }): Promise<{ mime: string; imageBase64: string; auditSeq: number }> => {
    const user = deps.user();
    if (!user) throw new ApiFailure('unauthenticated', 'sign in to see an original');
    if (!user.roles.some((r) => (ORIGINAL_VIEWER_ROLES as readonly string[]).includes(r))) {
      throw new ApiFailure('forbidden', 'only a supervisor may see the original of a redacted still');
    }
    if (!deps.originals) throw new ApiFailure('not_found', 'this workstation keeps no originals');
    let opened;
    try { opened = deps.originals.open(input.caseId, input.sha256); } catch (err) {
      throw new ApiFailure('corrupt', `the kept original could not be opened: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!opened) throw new ApiFailure('not_found', 'no original of this still was kept for this case');
    const ev = await deps.audit().recordOriginalViewed(input.caseId, { type: 'original_viewed', snapshotSha256: input.sha256, viewerName: user.name.slice(0, 128), reason: input.reason });
    return { mime: opened.mime, imageBase64: opened.bytes.toString('base64'), auditSeq: ev.seq };
  };
}
