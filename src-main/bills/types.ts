/**
 * Plain data shared by the OCR engine, the bill extractor, the dispute
 * checks, the CLI and (through the zod contract in src-preload/contract/ocr.ts)
 * the renderer. No Node imports: this folder is pure TypeScript.
 */

/** Pixel rectangle in the still's own coordinates (full resolution). */
export interface Box { x: number; y: number; w: number; h: number }

export interface OcrWord { text: string; box: Box; confidence: number }
export interface OcrLine { text: string; box: Box; confidence: number; words: OcrWord[] }
export interface OcrPage {
  width: number;
  height: number;
  /** 'eng' | 'jpn' | 'eng+jpn' */
  lang: string;
  text: string;
  lines: OcrLine[];
}

/** One extracted value with how sure we are (0..1) and where on the still it came from. */
export interface Field<T> { value: T; confidence: number; box: Box | null; source: string }

export interface LineItem { description: string; amount: number; confidence: number; box: Box | null }

export interface BillFields {
  vendor?: Field<string>;
  accountNumber?: Field<string>;
  invoiceNumber?: Field<string>;
  /** ISO dates (yyyy-mm-dd). `date` is the issue/receipt date. */
  date?: Field<string>;
  dueDate?: Field<string>;
  periodStart?: Field<string>;
  periodEnd?: Field<string>;
  subtotal?: Field<number>;
  tax?: Field<number>;
  total?: Field<number>;
  /** ISO 4217 code. */
  currency?: Field<string>;
  lineItems: LineItem[];
  /** Card/bank numbers seen on the page, already masked (last four kept). */
  maskedNumbers: string[];
}

export const unionBox = (boxes: Array<Box | null | undefined>): Box | null => {
  const bs = boxes.filter((b): b is Box => !!b);
  if (!bs.length) return null;
  const x0 = Math.min(...bs.map((b) => b.x)), y0 = Math.min(...bs.map((b) => b.y));
  const x1 = Math.max(...bs.map((b) => b.x + b.w)), y1 = Math.max(...bs.map((b) => b.y + b.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
};
