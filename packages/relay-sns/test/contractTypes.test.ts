// Type-checks types/contract.test-d.ts with the project's TypeScript: a wrong body for a subject must
// not compile, on the producing and on the consuming side (each `@ts-expect-error` there must hold).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));

it('a wrong body for a subject is a compile error for the producer and the consumers', async () => {
  const result = await promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', project]).then(
    () => ({ code: 0, output: '' }),
    (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
  );
  expect(result).toEqual({ code: 0, output: '' });
}, 120_000);
