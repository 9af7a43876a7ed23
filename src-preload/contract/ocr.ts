/**
 * OCR and bill-evidence contract. OCR runs in the main process (tesseract.js
 * in Node worker threads, offline). The renderer names a still by its sha256
 * (stored as case evidence, or sent along once when no case is open); main
 * reads it, records the reading in the case and answers with words, lines,
 * bill fields (card/bank numbers already masked) and the dispute findings
 * across the stills of the call. Money is integer minor units with its
 * currency (the digits rule is ./money.ts).
 */
import { z } from 'zod';
import { Sha256 } from './cases';
import { AmountMinor, CurrencyCode } from './money';
import { defineChannels } from './types';

/** A still up to 16 MiB (a 12 MP JPEG is ~3-5 MiB), base64 encoded. */
export const MAX_OCR_IMAGE_BYTES = 16 * 1024 * 1024;
export const OcrLang = z.enum(['eng', 'jpn', 'eng+jpn']);
export type OcrLang = z.infer<typeof OcrLang>;

export const Box = z.object({ x: z.number(), y: z.number(), w: z.number().min(0), h: z.number().min(0) });
export const OcrWord = z.object({ text: z.string().max(500), box: Box, confidence: z.number().min(0).max(1) });
export const OcrLine = z.object({ text: z.string().max(5000), box: Box, confidence: z.number().min(0).max(1), words: z.array(OcrWord).max(1000) });

const Confidence = z.number().min(0).max(1);
const field = <T extends z.ZodType>(value: T) => z.object({ value, confidence: Confidence, box: Box.nullable(), source: z.string().max(500) });
/** An amount read off the page: minor units of `currency`, null when the page names no currency (then hundredths). */
const moneyField = z.object({ amountMinor: AmountMinor, currency: CurrencyCode.nullable(), confidence: Confidence, box: Box.nullable(), source: z.string().max(500) });
export const BillFields = z.object({
  vendor: field(z.string().max(500)).optional(),
  accountNumber: field(z.string().max(200)).optional(),
  invoiceNumber: field(z.string().max(200)).optional(),
  date: field(z.string()).optional(),
  dueDate: field(z.string()).optional(),
  periodStart: field(z.string()).optional(),
  periodEnd: field(z.string()).optional(),
  subtotal: moneyField.optional(),
  tax: moneyField.optional(),
  total: moneyField.optional(),
  currency: field(z.string().max(8)).optional(),
  lineItems: z.array(z.object({ description: z.string().max(1000), amountMinor: AmountMinor, currency: CurrencyCode.nullable(), confidence: Confidence, box: Box.nullable() })).max(500),
  maskedNumbers: z.array(z.string().max(100)).max(100),
});
export type BillFieldsT = z.infer<typeof BillFields>;

export const OcrResult = z.object({
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  lang: OcrLang,
  text: z.string(),
  lines: z.array(OcrLine).max(5000),
  fields: BillFields,
  /** Mean word confidence, 0..1. */
  confidence: z.number().min(0).max(1),
  /** sha256 of the still's bytes (its content address). */
  sha256: Sha256,
  ms: z.number().min(0),
});
export type OcrResultT = z.infer<typeof OcrResult>;

export const FindingKind = z.enum(['duplicate_charge', 'split_account_invoices', 'items_mismatch', 'differs_from_expected']);
export const Finding = z.object({
  id: z.string().max(300),
  kind: FindingKind,
  severity: z.enum(['info', 'warning', 'critical']),
  say: z.object({ en: z.string().max(2000), ja: z.string().max(2000) }),
  evidence: z.array(z.object({ stillSha256: Sha256, boxes: z.array(Box).max(200), label: z.string().max(100) })).max(20),
  actions: z.array(z.enum(['note', 'credit', 'escalate'])).max(3),
  /** For a credit: the amount in dispute, minor units of `currency`. */
  amountMinor: AmountMinor.optional(),
  currency: CurrencyCode.optional(),
});
export type FindingT = z.infer<typeof Finding>;

/** The stills of the call (sha256, the tray's order) whose readings the dispute checks compare. */
const CallStills = z.array(Sha256).max(50);
const ImageBase64 = z.string().min(8).max(Math.ceil(MAX_OCR_IMAGE_BYTES / 3) * 4).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');
const readOf = { sha256: Sha256, lang: OcrLang.default('eng'), callStills: CallStills.default([]) };

export const ocrChannels = defineChannels({
  /** Start a worker for the language now (a call is starting), so the first still does not wait for init. */
  'ocr:warm': {
    input: z.object({ lang: OcrLang.default('eng') }).strict(),
    output: z.object({ workers: z.number().int(), ms: z.number() }),
  },
  /**
   * Read one still: with a case, the still is the case's evidence (cases:putEvidence) and the reading is
   * recorded in the case (ocr_result event + bill-fields JSON evidence); with no case (caseId null) the
   * bytes come along once, nothing is stored, and the reading is only shown.
   */
  'ocr:readStill': {
    input: z.union([
      /** A still already in the case's evidence (stored before this build, or without card numbers). */
      z.object({ caseId: z.number().int().positive(), ...readOf }).strict(),
      /**
       * A new still for the case: main reads it, paints over every card number on it, and only then stores
       * it (evidence + snapshot event, with the caption given) and records the reading.
       */
      z.object({
        caseId: z.number().int().positive(), ...readOf,
        imageBase64: ImageBase64,
        store: z.object({ mime: z.string().regex(/^image\/[a-z0-9.+-]+$/).max(64), width: z.number().int().positive().max(20000), height: z.number().int().positive().max(20000), caption: z.string().max(500) }).strict(),
      }).strict(),
      z.object({ caseId: z.null(), ...readOf, imageBase64: ImageBase64 }).strict(),
    ]),
    output: z.object({
      reading: OcrResult,
      findings: z.array(Finding),
      /** The case the reading was recorded in; null with no case, or when recording failed (the reading still stands). */
      savedToCase: z.number().int().nullable(),
      /** The still as stored in the case (sha256 of the redacted image) and how many card numbers were painted over; absent when main stored nothing. */
      stored: z.object({ sha256: Sha256, cardsCovered: z.number().int().min(0), originalKept: z.boolean() }).optional(),
    }),
  },
  /**
   * A supervisor looks at the original of a still whose card numbers were painted over (kept sealed only
   * where policy `ocr.keepOriginals` allows). Main checks the signed-in user's role, writes an
   * original_viewed event with the reason, and only then answers the bytes; nothing is cached.
   */
  'ocr:showOriginal': {
    input: z.object({ caseId: z.number().int().positive(), sha256: Sha256, reason: z.string().trim().min(3).max(500) }).strict(),
    output: z.object({ mime: z.string(), imageBase64: z.string(), auditSeq: z.number().int() }),
  },
  /** The dispute checks again (the case or its expected charge changed), over readings main already holds. */
  'ocr:checkDisputes': {
    input: z.object({ caseId: z.number().int().positive().nullable(), callStills: CallStills.min(1) }).strict(),
    output: z.array(Finding),
  },
});
