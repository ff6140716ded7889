import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** Prints one plain closing line, "e2e: N passed, N failed, N skipped", that CI logs can be read by. */
export default class SummaryReporter implements Reporter {
  private readonly outcomes = new Map<TestCase, TestResult['status']>();

  onTestEnd(test: TestCase, result: TestResult): void {
    this.outcomes.set(test, result.status);
  }

  onEnd(result: FullResult): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const [test, status] of this.outcomes) {
      if (status === 'skipped') skipped += 1;
      else if (test.outcome() === 'expected' || test.outcome() === 'flaky') passed += 1;
      else failed += 1;
    }
    // A run that broke outside any test (global setup, the web server, the global timeout) says so.
    if (result.status !== 'passed' && failed === 0) console.log(`e2e run ended "${result.status}" outside the tests`);
    console.log(`e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
