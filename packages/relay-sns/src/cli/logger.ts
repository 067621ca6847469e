import { maskUrlPasswords } from '@tx-outbox/outbox-core';

/**
 * Structured logs: one JSON object per line on stdout, so log shippers need no parsing rules. Every
 * string (and error message) is passed through maskUrlPasswords, so no URL password reaches a log.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = Record<LogLevel, (msg: string, fields?: Record<string, unknown>) => void>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createJsonLogger(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const log = (at: LogLevel) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[at] < ORDER[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields }, errorReplacer) + '\n');
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Errors serialize as `{ name, message }` instead of `{}`; strings have URL passwords masked. */
function errorReplacer(_key: string, value: unknown) {
  if (typeof value === 'string') return maskUrlPasswords(value);
  return value instanceof Error ? { name: value.name, message: maskUrlPasswords(value.message) } : value;
}
