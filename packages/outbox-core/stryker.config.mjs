// Mutation testing of the core (`pnpm test:mutation` at the root): Stryker changes the source one
// mutant at a time and runs the core's unit tests (vitest.config.mts here) against it; a mutant no
// test notices "survives". Scope: the relay's and the inbox's decisions (what to publish, mark, retry,
// dead-letter, hold back, refuse, complete or release). Not mutated: barrel files; src/testing (test
// doubles and the contract suites, tests themselves); errors.ts (message texts); tracing/; and the
// timer-driven loops (ClaimLoop, WakeSignal, WakeUpSubscription, Broadcast, Relay's start/stop,
// InboxRetention, renewLeaseWhileRunning): their mutants mostly hang a test until the timeout, and each
// timeout restarts a test runner, which on a shared 2-core machine makes the run take hours.
// Concurrency is kept low: the machines this runs on are shared 2-core ones.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.config.mts' },
  mutate: [
    'src/relay/**/*.ts',
    'src/inbox/**/*.ts',
    '!src/**/index.ts',
    ...['ClaimLoop', 'WakeSignal', 'WakeUpSubscription', 'Broadcast', 'Relay'].map((file) => `!src/relay/${file}.ts`),
    ...['InboxRetention', 'renewLeaseWhileRunning'].map((file) => `!src/inbox/${file}.ts`),
  ],
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  // A mutant that makes a loop hang is a timeout (counted as detected); fail it fast.
  timeoutMS: 5_000,
  // Re-runs test only the mutants whose code or covering tests changed (reports/ is not committed).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['progress', 'clear-text', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
