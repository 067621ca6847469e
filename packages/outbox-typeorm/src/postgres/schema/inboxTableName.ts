/** Default name of the inbox table. */
export const DEFAULT_INBOX_TABLE = 'inbox';
