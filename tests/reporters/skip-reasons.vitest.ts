/**
 * Prints every skipped vitest test with its reason (the note given to
 * ctx.skip(condition, note)); the default reporter only counts them.
 */
import { relative } from 'node:path';
import type { Reporter, TestCase } from 'vitest/node';

export default class SkipReasons implements Reporter {
  onTestCaseResult(test: TestCase): void {
    const r = test.result();
    if (r.state !== 'skipped') return;
    process.stdout.write(`skipped: ${relative(process.cwd(), test.module.moduleId)} › ${test.fullName} — ${r.note ?? 'NO REASON GIVEN'}\n`);
  }
}
