/**
 * OCR and bill-evidence contract. OCR runs in the main process (tesseract.js
 * in Node worker threads, offline): the renderer sends a still, gets words,
 * lines and extracted bill fields back (card/bank numbers already masked),
 * and asks for dispute findings across the stills of a case.
 */
import { z } from 'zod';
import { defineChannels } from './types';

/** A still up to 16 MiB (a 12 MP JPEG is ~3-5 MiB), base64 encoded. */
export const MAX_OCR_IMAGE_BYTES = 16 * 1024 * 1024;
export const OcrLang = z.enum(['eng', 'jpn', 'eng+jpn']);
export type OcrLang = z.infer<typeof OcrLang>;

export const Box = z.object({ x: z.number(), y: z.number(), w: z.number().min(0), h: z.number().min(0) });
export const OcrWord = z.object({ text: z.string().max(500), box: Box, confidence: z.number().min(0).max(1) });
export const OcrLine = z.object({ text: z.string().max(5000), box: Box, confidence: z.number().min(0).max(1), words: z.array(OcrWord).max(1000) });

const field = <T extends z.ZodType>(value: T) => z.object({ value, confidence: z.number().min(0).max(1), box: Box.nullable(), source: z.string().max(500) });
export const BillFields = z.object({
  vendor: field(z.string().max(500)).optional(),
  accountNumber: field(z.string().max(200)).optional(),
  invoiceNumber: field(z.string().max(200)).optional(),
  date: field(z.string()).optional(),
  dueDate: field(z.string()).optional(),
  periodStart: field(z.string()).optional(),
  periodEnd: field(z.string()).optional(),
  subtotal: field(z.number()).optional(),
  tax: field(z.number()).optional(),
  total: field(z.number()).optional(),
  currency: field(z.string().max(8)).optional(),
  lineItems: z.array(z.object({ description: z.string().max(1000), amount: z.number(), confidence: z.number().min(0).max(1), box: Box.nullable() })).max(500),
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
  /** sha256 of the image bytes as received (the still's content address). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  ms: z.number().min(0),
});
export type OcrResultT = z.infer<typeof OcrResult>;

export const FindingKind = z.enum(['duplicate_charge', 'split_account_invoices', 'items_mismatch', 'differs_from_expected']);
export const Finding = z.object({
  id: z.string().max(300),
  kind: FindingKind,
  severity: z.enum(['info', 'warning', 'critical']),
  say: z.object({ en: z.string().max(2000), ja: z.string().max(2000) }),
  evidence: z.array(z.object({ stillId: z.string().max(128), boxes: z.array(Box).max(200), label: z.string().max(100) })).max(20),
  actions: z.array(z.enum(['note', 'credit', 'escalate'])).max(3),
  amount: z.number().optional(),
  currency: z.string().max(8).optional(),
});
export type FindingT = z.infer<typeof Finding>;

export const ocrChannels = defineChannels({
  /** Start a worker for the language now (a call is starting), so the first still does not wait for init. */
  'ocr:warm': {
    input: z.object({ lang: OcrLang.default('eng') }).strict(),
    output: z.object({ workers: z.number().int(), ms: z.number() }),
  },
  'ocr:recognize': {
    input: z.object({
      imageBase64: z.string().min(8).max(Math.ceil(MAX_OCR_IMAGE_BYTES / 3) * 4).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
      lang: OcrLang.default('eng'),
    }).strict(),
    output: OcrResult,
  },
  'ocr:checkDisputes': {
    input: z.object({
      bills: z.array(z.object({ stillId: z.string().min(1).max(128), fields: BillFields })).min(1).max(50),
      expected: z.object({ amount: z.number().min(0).max(1e9), currency: z.string().regex(/^[A-Z]{3}$/), accountNumber: z.string().max(64).optional() }).strict().nullable().optional(),
    }).strict(),
    output: z.array(Finding),
  },
});
