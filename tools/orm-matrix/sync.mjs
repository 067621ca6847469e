#!/usr/bin/env node
// Copies outbox-typeorm's source and the suites of the ORM matrix into suite/ (git-ignored), where
// `typeorm`, `typeorm-transactional` and @nestjs-cls/* resolve to this package's pinned versions
// (TypeORM 1.x) instead of the package's own devDependencies (0.3.x). Node resolves a module's
// imports from where its file lies, so a copy is what makes the same code and tests meet another
// TypeORM; vitest then runs suite/test/*.test.ts beside the main suite (see vitest.config.mts).
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const here = import.meta.dirname;
const from = join(here, '../../packages/outbox-typeorm');
const to = join(here, 'suite');

/** The suites that touch TypeORM or a transaction library: publisher, inbox, migrations, seams. */
const SUITES = [
  'publisher.asyncLocalStorage.test.ts',
  'publisher.clsHooked.test.ts',
  'inboxTransactional.test.ts',
  'transaction.cls.test.ts',
  'transaction.explicit.test.ts',
  'schema.test.ts',
  'inboxSchema.test.ts',
  'typeormTransactionalSeam.test.ts',
];

await rm(to, { recursive: true, force: true });
await mkdir(to, { recursive: true });
for (const dir of ['src', 'sql']) await cp(join(from, dir), join(to, dir), { recursive: true });
await cp(join(from, 'test'), join(to, 'test'), {
  recursive: true,
  filter: (path) => !path.endsWith('.test.ts') || SUITES.some((name) => path.endsWith(`/${name}`)),
});
// The test transform reads the nearest tsconfig: the same compiler options as the package (decorators).
await writeFile(join(to, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.base.json', include: ['src', 'test'] }, null, 2));
const copied = (await readdir(join(to, 'test'))).filter((name) => name.endsWith('.test.ts'));
const missing = SUITES.filter((name) => !copied.includes(name));
if (missing.length > 0) throw new Error(`orm-matrix: suites not found in packages/outbox-typeorm/test: ${missing.join(', ')}`);
