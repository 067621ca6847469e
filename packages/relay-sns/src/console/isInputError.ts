/** Whether an error is about the request's input (shown on the page with a 400), by its stable name. */
export function isInputError(error: unknown): boolean {
  return ['ConsoleInputError', 'InvalidOptionError', 'SelectionSubjectError'].includes((error as Error)?.name);
}
