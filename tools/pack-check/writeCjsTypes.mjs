#!/usr/bin/env node
// Run before `pack` in a published package (its cwd): writes a `.d.cts` beside every `.d.ts` in dist/,
// with relative specifiers pointing at `.cjs`. The packages ship one ESM build, which `require()`
// loads natively on every Node the engines allow (require(esm): 20.19+, 22.12+, 24); the `require`
// condition of `exports` points TypeScript at these CommonJS-flavoured declarations so that a
// `module: node16`/`nodenext` CommonJS project does not refuse the import (TS1479). One build means
// one copy of every class at runtime, for import and require alike: no dual-package hazard.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

async function declarations(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? declarations(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [])));
  return nested.flat();
}

const files = await declarations('dist');
for (const file of files) {
  const text = await readFile(file, 'utf8');
  // from './x.js', import('../y.js'): relative specifiers only; packages resolve by their own exports.
  const cjs = text.replace(/(['"])(\.{1,2}\/[^'"]*?)\.js\1/g, '$1$2.cjs$1');
  await writeFile(file.replace(/\.d\.ts$/, '.d.cts'), cjs);
}
console.log(`wrote ${files.length} .d.cts declarations`);
