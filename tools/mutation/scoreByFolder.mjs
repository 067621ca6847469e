// Prints the mutation score per source folder (relay/, inbox/, …) from Stryker's JSON report
// (mutation-testing-report-schema). argv = report path. Score = detected / valid, as Stryker counts:
// detected = Killed + Timeout; valid = every mutant except CompileError, RuntimeError and Ignored.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2] ?? 'reports/mutation/mutation.json', 'utf8'));
const folders = new Map();
for (const [path, file] of Object.entries(report.files)) {
  const inSrc = path.replace(/^.*?src\//, '');
  const folder = inSrc.includes('/') ? `${inSrc.split('/')[0]}/` : '(src root)';
  const counts = folders.get(folder) ?? { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
  for (const mutant of file.mutants) {
    if (mutant.status in counts) counts[mutant.status]++;
    else if (!['CompileError', 'RuntimeError', 'Ignored'].includes(mutant.status)) counts.other++;
  }
  folders.set(folder, counts);
}
const rows = [...folders].sort(([a], [b]) => a.localeCompare(b));
const total = rows.reduce((sum, [, c]) => { for (const k in c) sum[k] = (sum[k] ?? 0) + c[k]; return sum; }, {});
const score = (c) => {
  const valid = c.Killed + c.Timeout + c.Survived + c.NoCoverage + c.other;
  return valid === 0 ? 'n/a' : `${((100 * (c.Killed + c.Timeout)) / valid).toFixed(1)} %`;
};
console.log('mutation score per folder of packages/outbox-core/src');
console.log(['folder', 'score', 'killed', 'timeout', 'survived', 'no coverage'].join('\t'));
for (const [folder, c] of [...rows, ['all', total]]) {
  console.log([folder, score(c), c.Killed, c.Timeout, c.Survived, c.NoCoverage].join('\t'));
}
