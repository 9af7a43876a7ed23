import type { ocrChannels } from '../../src-preload/contract/ocr';
import type { SignedInUser } from '../../src-preload/contract/auth';
import type { Logger } from '../log';
import type { HandlersOf } from '../router';
import { createStillReader, type CaseRecords, type OriginalsKeeping } from './read-still';
import { createShowOriginal, type OriginalAudit } from './originals/show-original';
import type { OcrService } from './service';

type OcrChannel = keyof typeof ocrChannels;

export function createOcrHandlers(s: {
  ocr: OcrService; cases: { get(): CaseRecords & OriginalAudit }; log?: Logger;
  originals?: OriginalsKeeping | null; auth: { user(): SignedInUser | null };
}): HandlersOf<OcrChannel> {
  const reader = createStillReader({ ocr: s.ocr, cases: s.cases, originals: s.originals ?? null, ...(s.log ? { log: s.log.child('ocr') } : {}) });
  const showOriginal = createShowOriginal({ originals: s.originals?.store ?? null, user: () => s.auth.user(), audit: () => s.cases.get() });
  return {
    'ocr:warm': ({ lang }) => s.ocr.warm(lang),
    'ocr:readStill': (input) => reader.read(input),
    'ocr:showOriginal': (input) => showOriginal(input),
    'ocr:checkDisputes': ({ caseId, callStills }) => reader.check(caseId, callStills),
  };
}
