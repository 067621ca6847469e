// Turns vitest's JSON report into CI's one plain line, `N passed, N failed`, and the run's verdict.
// argv = report path, the test runner's exit status. Exits 1 when any test failed, a test file
// failed to load, no test ran, or the runner itself exited non-zero.
import { existsSync, readFileSync } from 'node:fs';

const [reportPath, runnerStatusText = '0'] = process.argv.slice(2);
const runnerStatus = Number(runnerStatusText);
if (!reportPath || !existsSync(reportPath)) {
  console.error(`no test report at ${reportPath}: the test run did not complete`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
// A file that fails outside its tests (it fails to load, or an afterAll hook such as the leak guard
// fails) has no failed test of its own; count it as one failure so it cannot hide.
const brokenFiles = report.testResults.filter(
  (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
).length;
const passed = report.numPassedTests;
const failed = report.numFailedTests + brokenFiles;
const reasons = [
  failed > 0 && `${failed} failed`,
  passed + failed === 0 && 'no test ran',
  runnerStatus !== 0 && `the test runner exited with status ${runnerStatus}`,
].filter(Boolean);
if (reasons.length > 0) console.error(`test run FAILED: ${reasons.join('; ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(reasons.length > 0 ? 1 : 0);
