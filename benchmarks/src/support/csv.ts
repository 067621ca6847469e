import { readFileSync } from 'node:fs';

/** Rows of numbers as CSV text: a header line of `columns`, integers as is, other numbers to 3 decimals. */
export function toCsv<T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[]): string {
  const value = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : String(v));
  return [columns.join(','), ...rows.map((r) => columns.map((c) => value(r[c])).join(','))].join('\n') + '\n';
}

/** Reads a CSV written by {@link toCsv} back into rows of numbers (header line = field names). */
export function readCsv<T>(path: string): T[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], Number(v)])) as T);
}
