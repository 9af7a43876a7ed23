/** Field accuracy of extracted bills against the corpus ground truth (shared by tests and the benchmark). */
import type { BillFields } from '../../src-main/bills/types';
import type { BillTruth } from './truth';

export const SCORED = ['total', 'date', 'currency', 'vendor', 'subtotal', 'tax', 'accountNumber', 'invoiceNumber', 'dueDate', 'periodStart', 'periodEnd'] as const;
export type ScoredField = (typeof SCORED)[number];

const squash = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s.,&'’-]/g, '');
const alnum = (s: string) => s.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Truth value of a field, or undefined when the document does not carry it. */
function truthOf(t: BillTruth, f: ScoredField): string | number | undefined {
  switch (f) {
    case 'date': return t.issueDate;
    case 'total': return t.total;
    case 'subtotal': return t.subtotal;
    case 'tax': return t.tax;
    case 'currency': return t.currency;
    case 'vendor': return t.vendor;
    case 'accountNumber': return t.accountNumber;
    case 'invoiceNumber': return t.invoiceNumber;
    case 'dueDate': return t.dueDate;
    case 'periodStart': return t.periodStart;
    case 'periodEnd': return t.periodEnd;
  }
}

export function fieldCorrect(f: ScoredField, truth: string | number, got: string | number | undefined): boolean {
  if (got === undefined || got === null) return false;
  if (typeof truth === 'number') return typeof got === 'number' && Math.abs(got - truth) < 0.005;
  if (f === 'vendor') return squash(String(got)) === squash(truth);
  if (f === 'accountNumber' || f === 'invoiceNumber') return alnum(String(got)) === alnum(truth);
  return String(got) === truth;
}

export interface Score { perField: Record<ScoredField, { correct: number; of: number; accuracy: number }>; misses: Array<{ file: string; field: ScoredField; truth: unknown; got: unknown }> }

export function scoreAll(rows: Array<{ file: string; truth: BillTruth; fields: BillFields }>): Score {
  const perField = Object.fromEntries(SCORED.map((f) => [f, { correct: 0, of: 0, accuracy: 0 }])) as Score['perField'];
  const misses: Score['misses'] = [];
  for (const r of rows) for (const f of SCORED) {
    const tv = truthOf(r.truth, f);
    if (tv === undefined) continue;
    const got = r.fields[f]?.value;
    perField[f].of++;
    if (fieldCorrect(f, tv, got)) perField[f].correct++;
    else misses.push({ file: r.file, field: f, truth: tv, got });
  }
  for (const f of SCORED) perField[f].accuracy = perField[f].of ? perField[f].correct / perField[f].of : NaN;
  return { perField, misses };
}
