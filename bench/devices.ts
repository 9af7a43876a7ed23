/**
 * Two devices on one machine. In a real call the customer's phone and the agent's desktop
 * do not share a CPU; on the bench machine (2 cores) they do, and the agent's page, the
 * servers and the customer's page then slow each other down (a camera that opens in 60 ms
 * in a fresh page took 330 ms during a call). With `--devices=split` the customer's
 * browser runs on one CPU and everything else (the agent's browser, our servers, this
 * process) on the others; `--devices=shared` keeps the old all-on-all set-up, for the
 * record. Linux only (taskset); elsewhere, or with a single CPU, it falls back to shared.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

export type DeviceMode = 'split' | 'shared';

export interface CpuPlan {
  mode: DeviceMode;
  /** taskset CPU lists ('0', '1-3'); null when shared. */
  customer: string | null;
  rest: string | null;
}

function hasTaskset(): boolean {
  try { execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }); return true; } catch { return false; }
}

/** The plan for `--devices=`; 'split' needs taskset and at least two CPUs. */
export function cpuPlan(want: DeviceMode): CpuPlan {
  const n = availableParallelism();
  if (want === 'shared' || n < 2 || process.platform !== 'linux' || !hasTaskset()) return { mode: 'shared', customer: null, rest: null };
  return { mode: 'split', customer: '0', rest: n === 2 ? '1' : `1-${n - 1}` };
}

/** Pin this process (every thread: the in-process servers too) to the plan's other CPUs. */
export function pinSelf(plan: CpuPlan): void {
  if (plan.rest) execFileSync('taskset', ['-a', '-p', '-c', plan.rest, String(process.pid)], { stdio: 'ignore' });
}

/** A Chromium executable that starts on `cpus` (a wrapper script; its children inherit the affinity). */
export function chromiumOn(chromium: string, cpus: string | null): string {
  if (!cpus) return chromium;
  const dir = mkdtempSync(join(tmpdir(), 'va-bench-cpu-'));
  const path = join(dir, 'chromium');
  writeFileSync(path, `#!/bin/sh\nexec taskset -c ${cpus} ${JSON.stringify(chromium)} "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

/** `--devices=split|shared` (default split). */
export function devicesArg(argv: string[] = process.argv): DeviceMode {
  const a = argv.find((x) => x.startsWith('--devices='))?.slice('--devices='.length);
  return a === 'shared' ? 'shared' : 'split';
}
