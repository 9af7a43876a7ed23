/**
 * Prints every skipped browser test with its reason. Playwright's list reporter
 * marks a skip with "-" and drops the reason given to test.skip(condition, reason).
 */
import { relative } from 'node:path';
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class SkipReasons implements Reporter {
  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return;
    const reason = [...result.annotations, ...test.annotations].find((a) => a.type === 'skip' || a.type === 'fixme')?.description;
    const where = `${relative(process.cwd(), test.location.file)}:${test.location.line}`;
    process.stdout.write(`skipped: ${where} › ${test.title} — ${reason ?? 'NO REASON GIVEN'}\n`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
