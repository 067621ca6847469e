/** How the console writes numbers, times and durations. */

/** `12,345`, prefixed `≈` when the figure is an estimate. */
export function count(n: number, approximate = false): string {
  return `${approximate ? '≈' : ''}${Math.round(n).toLocaleString('en-US')}`;
}

/** A time as UTC, to the second: `2026-11-29 13:04:05Z`. */
export function time(date: Date | null | undefined): string {
  if (!date) return '—';
  return date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** A duration, largest units first: `3 s`, `4 min 10 s`, `2 h 5 min`, `3 d 4 h`. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** A query string of the non-empty fields (`?a=1&b=2`, or `''`). */
export function query(fields: Record<string, string | readonly string[] | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of ([] as string[]).concat(value ?? [])) if (v !== '') params.append(key, v);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
