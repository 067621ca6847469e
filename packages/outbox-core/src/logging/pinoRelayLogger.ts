import type { RelayLogger } from '../relay/RelayLogger.js';

/** The part of a pino logger (or a pino child logger) the adapter calls: pino's `(object, message)` order. */
export interface PinoLike {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/**
 * A {@link RelayLogger} that writes to a pino logger. Pino takes the context object first and the message
 * second — the reverse of `RelayLogger` — so passing a pino logger as is would log the context as the
 * message and drop it. An `error` in the context goes under pino's `err` key, so pino's error serializer
 * records its type, message, stack and cause.
 *
 * @example
 * ```ts
 * const relay = new Relay({ store, transport, logger: pinoRelayLogger(pino({ level: 'info' })) });
 * ```
 */
export function pinoRelayLogger(pino: PinoLike): RelayLogger {
  const at = (level: keyof PinoLike) => (message: string, context?: Record<string, unknown>) => {
    if (!context) return pino[level]({}, message);
    const { error, ...rest } = context;
    pino[level](error === undefined ? rest : { ...rest, err: error }, message);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
