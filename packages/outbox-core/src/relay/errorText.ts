/** The text recorded as `last_error` for a thrown value: `Name: message` for errors. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
