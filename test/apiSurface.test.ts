// The public API cannot change unseen: every public entry's declarations must match the API report
// checked in beside its package (packages/<pkg>/etc/*.api.md), so every change of the surface shows
// in review as a diff of that report. Run `pnpm api:report` to write the reports after a deliberate
// change. Also reports the number of exported names per entry (issue 24 targets at most 150).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { extractEntry } from '../tools/api-report/extractEntry.mjs';
import { publicEntries } from '../tools/api-report/publicEntries.mjs';
import { publicNames } from '../tools/api-report/publicNames.mjs';

const entries = publicEntries();

function reportDiff(checkedIn: string, built: string): string {
  const { stdout } = spawnSync('diff', ['-u', checkedIn, built], { encoding: 'utf8' });
  return stdout;
}

describe('API reports', () => {
  it.each(entries.map((e) => [e.id, e] as const))('%s matches its checked-in API report', (_id, entry) => {
    const result = extractEntry(entry, { check: true });
    const problems = result.messages.map((m) => m.text).join('\n');
    expect(result.messages, `api-extractor reported (fix the declaration or its TSDoc):\n${problems}`).toEqual([]);
    const diff = result.apiReportChanged ? reportDiff(result.reportPath, result.builtReportPath) : '';
    expect(
      result.apiReportChanged,
      `the public API of ${entry.id} differs from ${entry.reportFileName}; if the change is meant, run \`pnpm api:report\` and commit the report:\n${diff}`,
    ).toBe(false);
    expect(result.succeeded).toBe(true);
  });
});

describe('public names', () => {
  const names = publicNames(entries);

  it('counts the exported names of every public entry', () => {
    const lines = Object.entries(names.byEntry).map(([id, rows]) => {
      const undocumented = rows.filter((r) => !r.documented).length;
      return `${String(rows.length).padStart(4)}  ${id}${undocumented ? ` (${undocumented} without TSDoc)` : ''}`;
    });
    console.log(`exported names per public entry:\n${lines.join('\n')}\n${String(names.total).padStart(4)}  in all (target: at most 150)`);
    expect(Object.keys(names.byEntry)).toEqual(entries.map((e) => e.id));
  });

  it('has no @deprecated export: 0.1.0 is the first release, nothing needs an alias', () => {
    const deprecated = Object.entries(names.byEntry).flatMap(([id, rows]) => rows.filter((r) => r.deprecated).map((r) => `${id} ${r.name}`));
    expect(deprecated).toEqual([]);
  });
});
