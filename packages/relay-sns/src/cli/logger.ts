import { maskUrlPasswords } from '@tx-outbox/outbox-core/internal';
import type * as Pino from 'pino';
import { requireOptional } from '../optional/requireOptional.js';

/**
 * The sidecar's logs, written by pino: one JSON object per line on stdout (`OUTBOX_LOG_FORMAT=json`, the
 * default), so log shippers need no parsing rules, or readable lines through pino-pretty
 * (`OUTBOX_LOG_FORMAT=pretty`) for a developer's terminal. The CLI's code logs `(message, fields)`.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'pretty';
export type Logger = Record<LogLevel, (msg: string, fields?: Record<string, unknown>) => void>;

export interface SidecarLoggerOptions {
  level: LogLevel;
  /** @defaultValue `json` */
  format?: LogFormat;
  /** Where lines go (tests: any stream); defaults to stdout, written synchronously so nothing is lost at exit. */
  destination?: { write(line: string): void };
  /** Masks secrets out of each line (`createSecretMask` of the connection strings). @defaultValue maskUrlPasswords */
  mask?: (line: string) => string;
}

/** Field names whose values are secrets wherever they appear (one level deep, and at the top). */
const SECRET_KEYS = ['password', 'secretAccessKey', 'sessionToken', 'accessKeyId', 'credentials', 'authorization', 'databaseUrl', 'listenDatabaseUrl'];

/**
 * Creates the sidecar's logger.
 * - Errors under `error` or `err` keep their type, message, stack, `cause` chain and own fields (`code`,
 *   AWS's `$metadata`), and an AWS error's request id is lifted to `awsRequestId`. A string `error` stays a string.
 * - Secrets are kept out: fields named like credentials are replaced with `***`, and every line passes
 *   through `mask` on its way out, so a connection string's password is masked wherever it hides (a
 *   message, an error's message or stack, a field).
 * @throws MissingPeerDependencyError when pino (or, for `pretty`, pino-pretty) is not installed.
 */
export function createSidecarLogger(options: SidecarLoggerOptions): Logger {
  const { pino } = requireOptional<typeof Pino>('pino', "The outbox-relay sidecar's logs");
  const out = options.destination ?? pino.destination({ dest: 1, sync: true });
  const destination = options.format === 'pretty' ? prettyStream(out) : out;
  const serializeError = (value: unknown): unknown => {
    if (!(value instanceof Error)) return value;
    // errWithCause keeps own fields (code, $metadata); $response is the raw HTTP response, left out.
    const { $response: _response, cause: _cause, ...serialized } = pino.stdSerializers.errWithCause(value) as Record<string, unknown>;
    const requestId = (value as { $metadata?: { requestId?: unknown } }).$metadata?.requestId;
    if (typeof requestId === 'string') serialized.awsRequestId = requestId;
    if (value.cause !== undefined) serialized.cause = serializeError(value.cause);
    return serialized;
  };
  const logger = pino(
    {
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: serializeError, err: serializeError },
      redact: { paths: SECRET_KEYS.flatMap((key) => [key, `*.${key}`]), censor: '***' },
      hooks: { streamWrite: options.mask ?? maskUrlPasswords },
    },
    destination as Pino.DestinationStream,
  );
  const at = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => logger[level](fields ?? {}, msg);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** pino-pretty as a synchronous stream in this process (no worker thread), so lines are not lost at exit. */
function prettyStream(destination: { write(line: string): void }): { write(line: string): void } {
  const pretty = requireOptional<(options: object) => { write(line: string): void }>('pino-pretty', 'OUTBOX_LOG_FORMAT=pretty');
  return pretty({ destination, sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}
