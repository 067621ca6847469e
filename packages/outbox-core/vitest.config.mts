// The core's unit tests on their own (no PostgreSQL, no SNS/SQS): for `pnpm test:mutation`
// (Stryker runs them for every mutant) and quick runs. `pnpm test` runs them from the root config.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Unit tests take well under a second; a mutant that hangs one should fail it soon.
    testTimeout: 10_000,
  },
});
