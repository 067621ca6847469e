// The public entries of the publishable packages, read from each package.json `exports` map: every
// subpath but `./package.json` and `./internal` (the internal entries carry no semver promise, so
// they have no report and do not count).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const PACKAGES = ['outbox-core', 'outbox-typeorm', 'relay-sns'];

/** Subpaths that are not public API (`./cli` is the sidecar program's code, run by @tx-outbox/outbox-relay's bin). */
export const NOT_PUBLIC = new Set(['./package.json', './internal', './cli']);

/**
 * @returns one row per public entry: the package folder, the npm name, the subpath, the `.d.ts` the
 * `import` condition points at, and the report file name (`relay-sns.nest.api.md`).
 */
export function publicEntries() {
  return PACKAGES.flatMap((dir) => {
    const packageFolder = join(ROOT, 'packages', dir);
    const manifest = JSON.parse(readFileSync(join(packageFolder, 'package.json'), 'utf8'));
    return Object.entries(manifest.exports)
      .filter(([subpath]) => !NOT_PUBLIC.has(subpath))
      .map(([subpath, conditions]) => ({
        dir,
        packageName: manifest.name,
        packageFolder,
        subpath,
        id: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
        types: join(packageFolder, conditions.import.types),
        reportFileName: `${dir}${subpath === '.' ? '' : `.${subpath.slice(2)}`}.api.md`,
      }));
  });
}
