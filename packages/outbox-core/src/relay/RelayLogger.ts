/**
 * Where the relay writes what it cannot report through an event (and a copy of its errors): a message,
 * then a context object (an `error` in it is the Error itself). `console` and winston fit as they are;
 * for pino (whose order is `(object, message)`) use `pinoRelayLogger(pino)`, for NestJS's `Logger`
 * (whose second argument is a context name) use `nestRelayLogger(logger)`.
 */
export interface RelayLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** The default logger: `console`, without debug output; the context object is the second argument. */
export const consoleRelayLogger: RelayLogger = {
  debug: () => {},
  info: (message, context) => console.info(message, context ?? ''),
  warn: (message, context) => console.warn(message, context ?? ''),
  error: (message, context) => console.error(message, context ?? ''),
};
