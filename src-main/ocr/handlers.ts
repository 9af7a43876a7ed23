import type { ocrChannels } from '../../src-preload/contract/ocr';
import type { Logger } from '../log';
import type { HandlersOf } from '../router';
import { createStillReader, type CaseRecords } from './read-still';
import type { OcrService } from './service';

type OcrChannel = keyof typeof ocrChannels;

export function createOcrHandlers(s: { ocr: OcrService; cases: { get(): CaseRecords }; log?: Logger }): HandlersOf<OcrChannel> {
  const reader = createStillReader({ ocr: s.ocr, cases: s.cases, ...(s.log ? { log: s.log.child('ocr') } : {}) });
  return {
    'ocr:warm': ({ lang }) => s.ocr.warm(lang),
    'ocr:readStill': (input) => reader.read(input),
    'ocr:checkDisputes': ({ caseId, callStills }) => reader.check(caseId, callStills),
  };
}
