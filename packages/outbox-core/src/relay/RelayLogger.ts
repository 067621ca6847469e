/** Where the relay writes what it cannot report through an event (and a copy of its errors). Pino, winston and console fit. */
export interface RelayLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** The default logger: `console`, without debug output. */
export const consoleRelayLogger: RelayLogger = {
  debug: () => {},
  info: (message, context) => console.info(message, context ?? ''),
  warn: (message, context) => console.warn(message, context ?? ''),
  error: (message, context) => console.error(message, context ?? ''),
};
