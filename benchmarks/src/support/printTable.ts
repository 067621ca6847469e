import type { ScenarioResult } from './ScenarioResult.js';

/** Formats a figure: integers with thousands separators, small values with 2 decimals. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}

/** The results as one Markdown table (readable in a terminal, pasted as is into BENCHMARKS.md). */
export function resultsTable(results: readonly ScenarioResult[]): string {
  const rows: string[] = ['| Scenario | Figure | Value | Target | Status |', '|---|---|---:|---|---|'];
  for (const r of results) {
    let first = true;
    const scenario = () => {
      const cell = first ? r.title : '';
      first = false;
      return cell;
    };
    for (const [name, value] of Object.entries(r.figures)) rows.push(`| ${scenario()} | ${name} | ${formatNumber(value)} | | |`);
    for (const c of r.checks) {
      rows.push(`| ${scenario()} | **${c.name}** | **${formatNumber(c.value)}** | ${c.op} ${formatNumber(c.target)} | ${c.met ? 'MET' : 'NOT MET'} |`);
    }
    if (first) rows.push(`| ${r.title} | (no figures) | | | FAILED |`);
  }
  return rows.join('\n');
}
