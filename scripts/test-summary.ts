// Sums every runner's report into the one closing line CI reads.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0, failed = 0, skipped = 0;
const failedSteps = existsSync('test-results/failed-steps')
  ? readFileSync('test-results/failed-steps', 'utf8').split('\n').filter(Boolean) : [];
for (const s of failedSteps) if (s === 'typecheck' || s === 'build') failed++;

if (existsSync('test-results/vitest.json')) {
  const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += (v.numFailedTests ?? 0) + (v.numFailedTestSuites && !v.numFailedTests ? v.numFailedTestSuites : 0);
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} else if (failedSteps.includes('vitest')) failed++;

if (existsSync('test-results/playwright.json')) {
  const p = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
  passed += p.stats?.expected ?? 0;
  failed += (p.stats?.unexpected ?? 0) + (p.stats?.flaky ?? 0);
  skipped += p.stats?.skipped ?? 0;
  for (const e of p.errors ?? []) { failed++; console.log('playwright error:', e.message?.split('\n')[0]); }
} else if (failedSteps.includes('playwright')) failed++;

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
