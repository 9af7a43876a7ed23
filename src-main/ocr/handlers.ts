import type { ocrChannels } from '../../src-preload/contract/ocr';
import { checkDisputes } from '../bills/disputes';
import type { BillFields } from '../bills/types';
import type { HandlersOf } from '../router';
import { ApiFailure } from '../router';
import { ImageError } from './image-info';
import type { OcrService } from './service';

type OcrChannel = keyof typeof ocrChannels;

export function createOcrHandlers(s: { ocr: OcrService }): HandlersOf<OcrChannel> {
  return {
    'ocr:warm': ({ lang }) => s.ocr.warm(lang),
    'ocr:recognize': async ({ imageBase64, lang }) => {
      const bytes = Buffer.from(imageBase64, 'base64');
      try {
        const r = await s.ocr.recognize(bytes, { lang });
        return { ...r, lang };
      } catch (err) {
        if (err instanceof ImageError) throw new ApiFailure(err.code, err.message);
        throw err;
      }
    },
    'ocr:checkDisputes': ({ bills, expected }) => checkDisputes(bills.map((b) => ({ stillId: b.stillId, fields: b.fields as BillFields })), expected ?? null),
  };
}
