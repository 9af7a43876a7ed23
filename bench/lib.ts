/** Shared helpers for benchmarks: statistics, a printed table, and bench/results/NAME.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
export const median = (v: number[]) => quantile(v, 0.5);
export const p95 = (v: number[]) => quantile(v, 0.95);
export const p99 = (v: number[]) => quantile(v, 0.99);
/** `{NAME_p50_ms, NAME_p99_ms, …}` for one sample set; ours and baseline call it alike. */
export function percentiles<N extends string, Q extends 50 | 95 | 99 = 50 | 99>(name: N, samples: number[], which: ReadonlyArray<Q> = [50, 99] as unknown as Q[], digits?: number): Record<`${N}_p${Q}_ms`, number> {
  const out = {} as Record<`${N}_p${Q}_ms`, number>;
  for (const q of which) {
    const v = quantile(samples, q / 100);
    out[`${name}_p${q}_ms` as `${N}_p${Q}_ms`] = digits === undefined ? v : round(v, digits);
  }
  return out;
}
export const round = (n: number, digits = 3) => Number.isFinite(n) ? Number(n.toFixed(digits)) : n;

export interface BenchResult {
  name: string;
  metrics: Record<string, number | string>;
  baseline: Record<string, number | string>;
  /** Free-form facts about the run (machine, sizes, versions). */
  notes?: Record<string, unknown>;
}

/** Print a table (metric | ours | baseline | ratio) and write bench/results/NAME.json. */
export interface ReportRow { metric: string; ours: number | string; baseline?: number | string; unit?: string }

export function report(result: BenchResult, rows?: ReportRow[]): void {
  const table: ReportRow[] = rows ?? Object.entries(result.metrics).map(([metric, ours]) => ({ metric, ours, baseline: result.baseline[metric] }));
  const lines = table.map((r) => {
    const ratio = typeof r.ours === 'number' && typeof r.baseline === 'number' && r.baseline !== 0 ? round(r.ours / r.baseline, 2) : '';
    return [r.metric, String(typeof r.ours === 'number' ? round(r.ours) : r.ours), r.baseline === undefined ? '' : String(typeof r.baseline === 'number' ? round(r.baseline) : r.baseline), String(ratio), r.unit ?? ''];
  });
  const head = ['metric', 'ours', 'baseline', 'ratio', 'unit'];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(`\n# bench: ${result.name}`);
  console.log(fmt(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const l of lines) console.log(fmt(l));
  const dir = join(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${result.name}.json`), JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote bench/results/${result.name}.json`);
}
