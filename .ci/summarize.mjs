// Prints vitest's JSON report as one plain closing line: "<label>: N passed, N failed, N skipped".
// A run that wrote no report (it crashed before the end) prints a line that says so and exits 1.
import { existsSync, readFileSync } from 'node:fs';

const [file, label] = process.argv.slice(2);
if (!existsSync(file)) {
  console.log(`${label}: no report (the test run did not finish)`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
if (report.numFailedTests > 0 || !report.success) process.exit(1);
