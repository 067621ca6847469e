#!/usr/bin/env node
// `pnpm api:report`: writes the API report of every public entry to `packages/<pkg>/etc/`, then prints
// the number of exported names per entry. With `--check` it writes nothing and exits 1 when a report
// differs from the built declarations (what test/apiSurface.test.ts asserts in CI).
import { extractEntry } from './extractEntry.mjs';
import { publicEntries } from './publicEntries.mjs';
import { publicNames } from './publicNames.mjs';

const check = process.argv.includes('--check');
let failed = false;
for (const entry of publicEntries()) {
  const result = extractEntry(entry, { check });
  for (const message of result.messages) console.log(`  ${message.text}`);
  const verdict = result.apiReportChanged ? (check ? 'CHANGED (run pnpm api:report and commit the report)' : 'updated') : 'unchanged';
  console.log(`${result.succeeded ? 'ok' : 'not ok'} - ${entry.id}: report ${verdict}`);
  if (!result.succeeded || (check && result.apiReportChanged)) failed = true;
}
const names = publicNames(publicEntries());
for (const [id, rows] of Object.entries(names.byEntry)) {
  const deprecated = rows.filter((r) => r.deprecated).length;
  const undocumented = rows.filter((r) => !r.documented).length;
  console.log(`${String(rows.length).padStart(4)} names  ${id}${deprecated ? `, ${deprecated} @deprecated` : ''}${undocumented ? `, ${undocumented} without TSDoc` : ''}`);
}
console.log(`${String(names.total).padStart(4)} names in all public entries (target: at most 150)`);
process.exitCode = failed ? 1 : 0;
