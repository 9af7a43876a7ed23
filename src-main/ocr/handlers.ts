import type { ocrChannels } from '../../src-preload/contract/ocr';
import type { SignedInUser } from '../../src-preload/contract/auth';
import type { Logger } from '../log';
import { ApiFailure, type HandlersOf } from '../router';
import type { EffectivePolicy } from '../policy/resolve';
import { ocrLangRefusal } from './lang-policy';
import type { OcrLang } from './lang-data';
import { createStillReader, type CaseRecords, type OriginalsKeeping } from './read-still';
import { createShowOriginal, type OriginalAudit } from './originals/show-original';
import type { OcrService } from './service';

type OcrChannel = keyof typeof ocrChannels;

export function createOcrHandlers(s: {
  ocr: OcrService; cases: { get(): CaseRecords & OriginalAudit }; log?: Logger;
  originals?: OriginalsKeeping | null; auth: { user(): SignedInUser | null };
  /** Managed policy: OcrLanguages decides which languages may be read (absent: every one). */
  settings?: { effective(): EffectivePolicy };
}): HandlersOf<OcrChannel> {
  const allow = (lang: OcrLang) => {
    const refusal = s.settings ? ocrLangRefusal(lang, s.settings.effective().get('ocr.languages')) : null;
    if (refusal) throw new ApiFailure('forbidden', refusal);
  };
  const reader = createStillReader({ ocr: s.ocr, cases: s.cases, originals: s.originals ?? null, ...(s.log ? { log: s.log.child('ocr') } : {}) });
  const showOriginal = createShowOriginal({ originals: s.originals?.store ?? null, user: () => s.auth.user(), audit: () => s.cases.get() });
  return {
    'ocr:warm': ({ lang }) => { allow(lang); return s.ocr.warm(lang); },
    'ocr:readStill': (input) => { allow(input.lang); return reader.read(input); },
    'ocr:showOriginal': (input) => showOriginal(input),
    'ocr:checkDisputes': ({ caseId, callStills }) => reader.check(caseId, callStills),
  };
}
