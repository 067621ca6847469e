/**
 * A subject pattern, written the way routes are: `payment.created` matches that subject only,
 * `payment.*` every subject starting with `payment.`, and `*` every subject.
 */
export type SubjectPattern = { exact: string } | { prefix: string };

/** Reads a pattern: a trailing `*` makes the rest a prefix. */
export function parseSubjectPattern(pattern: string): SubjectPattern {
  return pattern.endsWith('*') ? { prefix: pattern.slice(0, -1) } : { exact: pattern };
}

/** Whether `subject` matches `pattern` (see {@link SubjectPattern}). */
export function subjectMatches(pattern: string | SubjectPattern, subject: string): boolean {
  const parsed = typeof pattern === 'string' ? parseSubjectPattern(pattern) : pattern;
  return 'exact' in parsed ? subject === parsed.exact : subject.startsWith(parsed.prefix);
}
