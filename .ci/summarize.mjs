// Turns vitest's JSON reports into CI's one plain line, `N passed, N failed`, and the run's verdict.
// argv = report path, the test runner's exit status; or, for runs on several Nodes,
// label report status [label report status …]: one `label: N passed, N failed` line per run, then
// the plain line with their sums. Exits 1 when any test failed, a test file failed to load, a run
// ran no test, or a runner itself exited non-zero.
import { existsSync, readFileSync } from 'node:fs';

/** One run's counts and what makes it fail. */
function tally(reportPath, runnerStatusText = '0') {
  const runnerStatus = Number(runnerStatusText);
  if (!reportPath || !existsSync(reportPath)) {
    return { passed: 0, failed: 1, reasons: [`no test report at ${reportPath}: the test run did not complete`] };
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
  // The failed tests by name and first lines of their messages: CI shows only the run's tail, so the
  // verdict carries what failed.
  const failures = report.testResults.flatMap((file) => [
    ...file.assertionResults
      .filter((test) => test.status === 'failed')
      .map((test) => `${file.name}: ${test.fullName}\n    ${firstLines(test.failureMessages?.join('\n'))}`),
    ...(file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed')
      ? [`${file.name}: (file failed) ${firstLines(file.message)}`]
      : []),
  ]);
  return { passed, failed, reasons, failures };
}

function firstLines(text = '', count = 12) {
  return text.split('\n').slice(0, count).join('\n    ');
}

const args = process.argv.slice(2);
const runs = args.length <= 2 ? [{ label: '', ...tally(args[0], args[1]) }] : [];
for (let i = 0; args.length > 2 && i < args.length; i += 3) runs.push({ label: args[i], ...tally(args[i + 1], args[i + 2]) });

let passed = 0;
let failed = 0;
const reasons = [];
for (const run of runs) {
  passed += run.passed;
  failed += run.failed;
  reasons.push(...run.reasons.map((reason) => (run.label ? `${run.label}: ${reason}` : reason)));
  if (run.label) console.log(`${run.label}: ${run.passed} passed, ${run.failed} failed`);
  for (const failure of run.failures ?? []) console.error(`FAILED ${run.label ? `(${run.label}) ` : ''}${failure}`);
}
if (reasons.length > 0) console.error(`test run FAILED: ${reasons.join('; ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(reasons.length > 0 ? 1 : 0);
