import { withoutUndefined } from '../withoutUndefined.js';
import { InvalidOptionError } from '../errors.js';
import { checkBoolean, checkDuration } from '../options/optionChecks.js';

/** Options of {@link handleOnce}: which message, as seen by which consumer, and how long records live. */
export interface HandleOnceOptions {
  /** Name of the consuming service or handler; each consumer keeps its own records. */
  consumer: string;
  /** The outbox message id (attribute `outbox-message-id`), never the broker's MessageId. */
  messageId: string;
  /** The message body as received. When given (and `checkPayload` is on) its sha256 is kept to refuse a reused id. */
  payload?: string | Uint8Array;
  /**
   * Refuse the same id with a different payload (`PayloadMismatchError`). Needs `payload`.
   * @defaultValue `true`
   */
  checkPayload?: boolean;
  /**
   * How long the `in_progress` record protects a running handler before another instance may take the
   * message over. With `renewLease` (the default) it is renewed every third of `leaseMs` while the handler
   * runs, so it bounds how long a crashed consumer's message waits, not how long a handler may take.
   * @defaultValue `60000` (1 minute)
   */
  leaseMs?: number;
  /**
   * Renew the lease while the handler runs (the store's `extendLease`, every `leaseMs / 3`), so a handler
   * slower than `leaseMs` is never run a second time in parallel. `false`: `leaseMs` is the longest run time.
   * @defaultValue `true`
   */
  renewLease?: boolean;
  /**
   * Told about a renewal that failed (the next one is tried a third of the lease later). Must not throw.
   * @defaultValue ignore (the handler goes on; a lost lease surfaces as `InboxLeaseLostError`)
   */
  onRenewError?: (error: unknown) => void;
  /**
   * How long a `done` record is kept, i.e. how late a redelivery is still recognised as a duplicate.
   * @defaultValue `604800000` (7 days)
   */
  ttlMs?: number;
  /**
   * The message's headers as received (or just its `traceparent`/`tracestate`). When they carry a trace
   * context, the store's work and the handler run in a CONSUMER "process" span of the producer's trace.
   * Not needed under `SqsConsumer`, which already runs the handler in that span.
   * @defaultValue undefined (no span of its own)
   */
  traceContext?: Readonly<Record<string, string>>;
}

/** Defaults of {@link HandleOnceOptions}. */
export const HANDLE_ONCE_DEFAULTS = {
  checkPayload: true,
  renewLease: true,
  onRenewError: () => undefined,
  leaseMs: 60_000,
  ttlMs: 7 * 24 * 60 * 60 * 1000,
} as const satisfies Required<Pick<HandleOnceOptions, 'checkPayload' | 'renewLease' | 'onRenewError' | 'leaseMs' | 'ttlMs'>>;

/** The options with defaults applied, checked. */
export type ResolvedHandleOnceOptions = Required<Omit<HandleOnceOptions, 'payload' | 'traceContext'>> & Pick<HandleOnceOptions, 'payload' | 'traceContext'>;

/** @throws InvalidOptionError naming the first bad option. */
export function resolveHandleOnceOptions(options: HandleOnceOptions): ResolvedHandleOnceOptions {
  const resolved = { ...HANDLE_ONCE_DEFAULTS, ...withoutUndefined(options) } as ResolvedHandleOnceOptions;
  for (const key of ['consumer', 'messageId'] as const) {
    if (typeof resolved[key] !== 'string' || resolved[key].length === 0) {
      throw new InvalidOptionError(key, 'a non-empty string', resolved[key]);
    }
  }
  checkDuration('leaseMs', resolved.leaseMs, { min: 1 });
  checkDuration('ttlMs', resolved.ttlMs, { min: 1 });
  checkBoolean('checkPayload', resolved.checkPayload);
  checkBoolean('renewLease', resolved.renewLease);
  if (typeof resolved.onRenewError !== 'function') throw new InvalidOptionError('onRenewError', 'a function (error) => void', resolved.onRenewError);
  const { payload } = resolved;
  if (payload !== undefined && typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    throw new InvalidOptionError('payload', 'a string or Uint8Array (the body as received)', payload);
  }
  const { traceContext } = resolved;
  if (traceContext !== undefined && (traceContext === null || typeof traceContext !== 'object')) {
    throw new InvalidOptionError('traceContext', 'an object of header strings (e.g. the message headers)', traceContext);
  }
  return resolved;
}

