// Guards the matrix itself: the copied suite must really meet TypeORM 1.x, and typeorm-transactional
// must share that copy of TypeORM, or the matrix would silently test 0.3.x again.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const suiteSource = fileURLToPath(new URL('../suite/src/index.ts', import.meta.url));
const versionFrom = (from: string, name: string) => {
  const require = createRequire(from);
  const main = require.resolve(name);
  let dir = dirname(main);
  while (!dir.endsWith(`/node_modules/${name}`)) dir = dirname(dir);
  return { dir, version: JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).version as string };
};

describe('the ORM matrix suite', () => {
  it('resolves typeorm 1.x from the copied source, and typeorm-transactional on that same typeorm', () => {
    const typeorm = versionFrom(suiteSource, 'typeorm');
    const transactional = versionFrom(suiteSource, 'typeorm-transactional');
    const typeormOfTransactional = versionFrom(`${transactional.dir}/package.json`, 'typeorm');
    expect(typeorm.version).toMatch(/^1\./);
    expect(typeormOfTransactional.dir).toBe(typeorm.dir);
    expect(versionFrom(suiteSource, '@nestjs-cls/transactional-adapter-typeorm').version).toMatch(/^1\./);
  });
});
