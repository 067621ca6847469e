// The soak's chart: three panels over time (claim p50/p99, table and index size, commit → publish
// lag). `node benchmarks/dist/support/soakChart.js file.csv` redraws a chart from a soak's CSV.
import { fileURLToPath } from 'node:url';
import { readCsv } from './csv.js';
import type { SoakRow } from './SoakRow.js';
import { claimTimePanel, renderTimeSeriesChart, type Panel } from './timeSeriesChart.js';

/** Writes `path` (PNG) from the soak's samples. */
export async function renderSoakChart(rows: readonly SoakRow[], path: string): Promise<void> {
  const minutes = rows.map((r) => r.elapsedS / 60);
  const mib = (bytes: number) => bytes / 2 ** 20;
  const panels: Panel[] = [
    claimTimePanel(rows),
    { title: 'Outbox size (table, partitions, indexes; retention every minute)', unit: 'MiB', series: [
      { label: 'outbox', color: '#2ca02c', values: rows.map((r) => mib(r.outboxBytes ?? r.totalBytes)) },
      { label: 'indexes', color: '#9467bd', values: rows.map((r) => mib(r.indexBytes)) },
    ] },
    { title: 'Commit → publish lag (rows sent in the interval)', unit: 'ms', series: [
      { label: 'lag p99', color: '#d62728', values: rows.map((r) => r.lagP99Ms) },
      { label: 'lag p50', color: '#1f77b4', values: rows.map((r) => r.lagP50Ms) },
    ] },
  ];
  await renderTimeSeriesChart(panels, minutes, path);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const csv = process.argv[2];
  if (!csv) {
    process.stderr.write('usage: node benchmarks/dist/support/soakChart.js <soak.csv>\n');
    process.exit(2);
  }
  const png = csv.replace(/\.csv$/, '') + '.png';
  await renderSoakChart(readCsv<SoakRow>(csv), png);
  process.stdout.write(`${png}\n`);
}
