/** Which dead-lettered messages an operation applies to: all of them, or those matching every given filter. */
export type DeadSelection = 'all' | { ids?: readonly string[]; subject?: string };

/**
 * The two parameters of the shared dead-row filter
 * `dead_at IS NOT NULL AND ($1::uuid[] IS NULL OR id = ANY($1)) AND ($2::text IS NULL OR subject = $2)`.
 * `null` means "no filter on this column".
 */
export function deadFilterParams(selection: DeadSelection): [readonly string[] | null, string | null] {
  if (selection === 'all') return [null, null];
  return [selection.ids ?? null, selection.subject ?? null];
}

/** SQL of the dead-row filter, with the ids at `$first` and the subject at `$first + 1`. */
export function deadFilterSql(first = 1): string {
  const ids = `$${first}`;
  const subject = `$${first + 1}`;
  return `dead_at IS NOT NULL AND (${ids}::uuid[] IS NULL OR id = ANY(${ids}::uuid[])) AND (${subject}::text IS NULL OR subject = ${subject}::text)`;
}
