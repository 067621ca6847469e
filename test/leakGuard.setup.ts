// Runs in every test file (vitest setupFiles): after the file's own afterAll hooks, fail the file if
// it left a tracked relay, consumer or pool open, or a test database undropped (tools/devkit leakGuard).
import { afterAll } from 'vitest';
import { assertNothingLeft } from '../tools/devkit/dist/index.js';

afterAll(() => assertNothingLeft());
