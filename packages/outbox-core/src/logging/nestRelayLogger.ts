import type { RelayLogger } from '../relay/RelayLogger.js';

/**
 * The part of NestJS's `Logger` / `LoggerService` the adapter calls. Nest's second argument is a
 * context *name* (a string), so the adapter sends the message and its fields together as one object.
 */
export interface NestLoggerLike {
  log(message: unknown, ...optionalParams: unknown[]): void;
  warn(message: unknown, ...optionalParams: unknown[]): void;
  error(message: unknown, ...optionalParams: unknown[]): void;
  debug?(message: unknown, ...optionalParams: unknown[]): void;
}

/**
 * A {@link RelayLogger} that writes to a NestJS logger (`new Logger('OutboxRelay')`, or the app's
 * `LoggerService`). Each line is one object `{ message, ...context }`, which Nest's ConsoleLogger
 * prints (as JSON with `json: true`) and custom LoggerServices receive whole. An `error` in the context
 * is flattened to `{ name, message, stack, cause }` (a plain Error prints as `{}` in JSON), and its stack
 * is also passed as Nest's `stack` argument of `error()`.
 *
 * @example
 * ```ts
 * const relay = new Relay({ store, transport, logger: nestRelayLogger(new Logger('OutboxRelay')) });
 * ```
 */
export function nestRelayLogger(logger: NestLoggerLike): RelayLogger {
  const entry = (message: string, context?: Record<string, unknown>) => {
    if (!context) return { message };
    const { error, ...rest } = context;
    return error === undefined ? { message, ...rest } : { message, ...rest, error: errorFields(error) };
  };
  const stackOf = (context?: Record<string, unknown>) => (context?.error instanceof Error ? context.error.stack : undefined);
  return {
    debug: (message, context) => logger.debug?.(entry(message, context)),
    info: (message, context) => logger.log(entry(message, context)),
    warn: (message, context) => logger.warn(entry(message, context)),
    error: (message, context) => {
      const stack = stackOf(context);
      if (stack === undefined) logger.error(entry(message, context));
      else logger.error(entry(message, context), stack);
    },
  };
}

function errorFields(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { name, message, stack } = error;
  return { name, message, stack, ...(error.cause === undefined ? {} : { cause: errorFields(error.cause) }) };
}
