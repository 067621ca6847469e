// worst-day's chart: claim p50/p99, outbox size and claimable backlog over time, the hold marked.
// `node benchmarks/dist/support/worstDayChart.js file.csv` redraws a chart from its CSV.
import { fileURLToPath } from 'node:url';
import { readCsv } from './csv.js';
import { claimTimePanel, renderTimeSeriesChart, type Marker, type Panel } from './timeSeriesChart.js';
import { WORST_DAY_PHASES, type WorstDayRow } from './WorstDayRow.js';

/** Writes `path` (PNG) from worst-day's samples. */
export async function renderWorstDayChart(rows: readonly WorstDayRow[], path: string): Promise<void> {
  const minutes = rows.map((r) => r.elapsedS / 60);
  const mib = (bytes: number) => bytes / 2 ** 20;
  const panels: Panel[] = [
    claimTimePanel(rows),
    { title: 'Outbox size (table, partitions, indexes)', unit: 'MiB', series: [
      // All tables first, so the outbox's line is drawn over it where they are the same.
      { label: 'all tables', color: '#9467bd', values: rows.map((r) => mib(r.databaseTablesBytes)) },
      { label: 'outbox', color: '#2ca02c', values: rows.map((r) => mib(r.outboxBytes)) },
    ] },
    { title: 'Claimable backlog (largest in the interval)', unit: 's', series: [
      { label: 's of inflow', color: '#ff7f0e', values: rows.map((r) => r.backlogSeconds) },
    ] },
  ];
  const markers: Marker[] = [];
  rows.forEach((r, i) => {
    if (i > 0 && r.phase !== rows[i - 1]!.phase) markers.push({ atMinutes: rows[i - 1]!.elapsedS / 60, label: WORST_DAY_PHASES[r.phase] ?? '' });
  });
  await renderTimeSeriesChart(panels, minutes, path, markers);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const csv = process.argv[2];
  if (!csv) {
    process.stderr.write('usage: node benchmarks/dist/support/worstDayChart.js <worst-day.csv>\n');
    process.exit(2);
  }
  const png = csv.replace(/\.csv$/, '') + '.png';
  await renderWorstDayChart(readCsv<WorstDayRow>(csv), png);
  process.stdout.write(`${png}\n`);
}
