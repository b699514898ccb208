import type { Reporter, TestModule } from 'vitest/node';

/** How many of the slowest test files the closing lines name, so a CI log shows where the suite's time goes. */
const SLOWEST_SHOWN = 10;

/** Prints one plain closing line, "Tests: N passed, N failed", that any CI can read, after the slowest test files. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
    }
    const slowest = testModules
      .map((testModule) => ({ name: `${testModule.project.name}: ${testModule.moduleId}`, ...testModule.diagnostic() }))
      .map((file) => ({ name: file.name, seconds: (file.duration + file.collectDuration + file.setupDuration) / 1000 }))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, SLOWEST_SHOWN);
    if (slowest.length > 0) {
      process.stdout.write(`\nSlowest test files (tests, hooks and imports, seconds):\n`);
      for (const file of slowest) process.stdout.write(`  ${file.seconds.toFixed(1).padStart(7)}  ${relative(file.name)}\n`);
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  }
}

/** A module's path from the project's root, so the log names no directory of the machine it ran on. */
function relative(name: string): string {
  const root = `${process.cwd()}/`;
  return name.replace(root, '');
}
