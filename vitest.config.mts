import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'benchmarks/test/**/*.test.ts', 'tools/faults/test/**/*.test.ts', 'tools/orm-matrix/test/**/*.test.ts', 'tools/orm-matrix/suite/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['./test/globalSetup.ts'],
    // Fails a file that leaves a relay, consumer, pool or database session open (see the file).
    setupFiles: ['./test/leakGuard.setup.ts'],
    // Forks, not threads: tests spawn and kill processes, and cls-hooked wants a plain Node process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
