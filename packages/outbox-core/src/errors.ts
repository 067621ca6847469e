/**
 * The error hierarchy of tx-outbox. Every error has a stable `name` (check `err.name`, not
 * `instanceof`, where an error may come from another copy of the package) and a message that says
 * what was wrong and what to do.
 */
export class OutboxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutboxError';
  }
}

/** `sendEvent` was called with no transaction to join. */
export class OutboxNotInTransactionError extends OutboxError {
  constructor(message?: string) {
    super(
      message ??
        'outbox.sendEvent() was called outside a transaction, so the message could not be committed together ' +
          'with your business writes. Call it from a method decorated with @Transactional() (typeorm-transactional), ' +
          'or pass { allowOutsideTransaction: true } to let the outbox run its own short transaction.',
    );
    this.name = 'OutboxNotInTransactionError';
  }
}

/** A message was refused before anything was written. `field` names the offending input. */
export class InvalidMessageError extends OutboxError {
  readonly field: string;
  readonly subject: string | undefined;
  constructor(field: string, message: string, options?: { cause?: unknown; subject?: string }) {
    super(message, options);
    this.name = 'InvalidMessageError';
    this.field = field;
    this.subject = options?.subject;
  }
}

/** The subject cannot be published: empty, over 128 characters, or outside the FIFO id character set. */
export class InvalidSubjectError extends InvalidMessageError {
  constructor(message: string, options?: { subject?: string }) {
    super('subject', message, options);
    this.name = 'InvalidSubjectError';
  }
}

/** A `groupKey` or `dedupId` that SNS/SQS would refuse as `MessageGroupId` / `MessageDeduplicationId`. */
export class InvalidFifoIdError extends InvalidMessageError {
  constructor(field: 'groupKey' | 'dedupId', message: string, options?: { subject?: string }) {
    super(field, message, options);
    this.name = 'InvalidFifoIdError';
  }
}

/** A header that cannot become a message attribute: its name or its value breaks an SNS/SQS rule. */
export class InvalidHeaderError extends InvalidMessageError {
  /** The offending header's name. */
  readonly header: string;
  constructor(header: string, message: string, options?: { subject?: string }) {
    super('headers', message, options);
    this.name = 'InvalidHeaderError';
    this.header = header;
  }
}

/** `delayMs` is not a number of milliseconds from 0 to `MAX_DELAY_MS`. */
export class InvalidDelayError extends InvalidMessageError {
  constructor(message: string, options?: { subject?: string }) {
    super('delayMs', message, options);
    this.name = 'InvalidDelayError';
  }
}

/** The body, as published, holds a character SNS and SQS refuse (U+FFFE or U+FFFF; others JSON escapes). */
export class UnpublishableCharacterError extends InvalidMessageError {
  /** The refused character's code point, e.g. 0xffff. */
  readonly codePoint: number;
  constructor(field: string, codePoint: number, message: string, options?: { subject?: string }) {
    super(field, message, options);
    this.name = 'UnpublishableCharacterError';
    this.codePoint = codePoint;
  }
}

/** The body cannot be represented as JSON (BigInt, cycle, function, symbol, undefined, NaN/Infinity). */
export class NonSerializableBodyError extends InvalidMessageError {
  /** JSON path of the offending value, e.g. `$.items[2].price`. */
  readonly path: string;
  constructor(path: string, reason: string, options?: { cause?: unknown; subject?: string }) {
    super(
      'body',
      `Message body is not JSON-serializable: ${reason} at ${path}. Convert it first ` +
        '(e.g. BigInt to string, Date to ISO string) so that what is published is what you meant.',
      options,
    );
    this.name = 'NonSerializableBodyError';
    this.path = path;
  }
}

/** The message would exceed the broker's size limit once published. */
export class MessageTooLargeError extends InvalidMessageError {
  readonly sizeBytes: number;
  readonly limitBytes: number;
  /** @param options - `hint`: what to do, instead of the general advice. */
  constructor(sizeBytes: number, limitBytes: number, options?: { subject?: string; hint?: string }) {
    super(
      'body',
      `Message is ${sizeBytes} bytes, over the limit of ${limitBytes} bytes (body, headers and outbox attributes). ` +
        (options?.hint ??
          'Turn on the relay\'s claim-check (claimCheck, OUTBOX_CLAIM_CHECK_BUCKET) and raise maxMessageBytes, or store the payload elsewhere and send a reference.'),
      options,
    );
    this.name = 'MessageTooLargeError';
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}

/** An option passed to a constructor or read from the environment is invalid. */
export class InvalidOptionError extends OutboxError {
  readonly option: string;
  constructor(option: string, expected: string, actual: unknown) {
    super(`Invalid option ${option}: expected ${expected}, got ${describe(actual)}.`);
    this.name = 'InvalidOptionError';
    this.option = option;
  }
}

/** A table or schema name is not a plain SQL identifier; no SQL is built from it. */
export class InvalidIdentifierError extends OutboxError {
  readonly identifier: unknown;
  constructor(what: string, identifier: unknown) {
    super(
      `Invalid ${what} ${describe(identifier)}: use 1 to 63 characters, letters, digits, _ or $, ` +
        'not starting with a digit or $ (e.g. "outbox" or "messaging").',
    );
    this.name = 'InvalidIdentifierError';
    this.identifier = identifier;
  }
}

/** The same message id was handed to `handleOnce` with a different payload than the first time. */
export class PayloadMismatchError extends OutboxError {
  readonly consumer: string;
  readonly messageId: string;
  constructor(consumer: string, messageId: string) {
    super(
      `Message ${messageId} was already received by consumer "${consumer}" with a different payload. ` +
        'An outbox id must identify one message; check that the producer does not reuse ids.',
    );
    this.name = 'PayloadMismatchError';
    this.consumer = consumer;
    this.messageId = messageId;
  }
}

/** Another consumer holds a live lease on this message; retry after the lease (the broker will redeliver). */
export class MessageInProgressError extends OutboxError {
  readonly consumer: string;
  readonly messageId: string;
  readonly lockedUntil: Date | undefined;
  /**
   * How long, by the store's clock, before trying again is worthwhile: what is left of the holder's lease
   * (or, for a store without leases, how long it waited). `SqsConsumer` puts the message back for that long.
   */
  readonly retryAfterMs: number | undefined;
  constructor(consumer: string, messageId: string, lockedUntil?: Date, options: { retryAfterMs?: number } = {}) {
    super(
      `Message ${messageId} is being handled by another instance of consumer "${consumer}"` +
        (lockedUntil ? ` (lease until ${lockedUntil.toISOString()})` : '') +
        '. Leave it for redelivery; it will be skipped if that instance completes it.',
    );
    this.name = 'MessageInProgressError';
    this.consumer = consumer;
    this.messageId = messageId;
    this.lockedUntil = lockedUntil;
    this.retryAfterMs = options.retryAfterMs;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A transport has no topic or queue for a message's subject. A configuration state, not a verdict on the
 * message (say an older relay during a rolling deploy): the transports report its route blocked, and the
 * relay gives the message back without using a try until a relay with the route publishes it. The message
 * shows the routes in the form they were given: the `routes` option's object form, or, with
 * `routesSetting` (the sidecar's `OUTBOX_ROUTES`), the `subject=target` text form.
 */
export class UnroutedSubjectError extends OutboxError {
  readonly subject: string;
  constructor(subject: string, transport: string, routesSetting?: string) {
    const prefixRule = subject.includes('.') ? `${subject.slice(0, subject.lastIndexOf('.'))}.*` : `${subject}*`;
    super(
      routesSetting === undefined
        ? `No route for subject ${JSON.stringify(subject)} in ${transport}. Add it to the routes option ` +
            `(e.g. { ${JSON.stringify(subject)}: '<arn or url>' }, or a prefix rule { prefix: '...', ... }), ` +
            'and restart the relay; the message waits meanwhile.'
        : `No route for subject ${JSON.stringify(subject)} in ${routesSetting}. Add one there ` +
            `(e.g. ${subject}=<topic ARN or queue URL>, or a prefix rule ${prefixRule}=<…>), and restart the relay; the message waits meanwhile.`,
    );
    this.name = 'UnroutedSubjectError';
    this.subject = subject;
  }
}

/** A message would carry more message attributes than the broker allows; refused rather than silently truncated. */
export class TooManyAttributesError extends InvalidMessageError {
  readonly count: number;
  readonly limit: number;
  /** @param options.hint why there are that many, instead of the general wording. */
  constructor(count: number, limit: number, options?: { subject?: string; hint?: string }) {
    super(
      'headers',
      `Message would carry ${count} message attributes (${options?.hint ?? 'its headers plus the outbox id and subject'}), over the ` +
        `broker limit of ${limit}. Send fewer headers (move the rest into the body).`,
      options,
    );
    this.name = 'TooManyAttributesError';
    this.count = count;
    this.limit = limit;
  }
}

/**
 * `sendEvent` got more headers than fit in the broker's 10 message attributes beside the four the outbox
 * reserves (outbox id, subject, `traceparent`, `tracestate`). Nothing was written.
 */
export class TooManyHeadersError extends InvalidMessageError {
  readonly count: number;
  readonly limit: number;
  constructor(count: number, limit: number, options?: { subject?: string }) {
    super(
      'headers',
      `At most ${limit} headers are allowed, got ${count}: SNS and SQS carry 10 message attributes and the outbox ` +
        'uses 4 of them (outbox-message-id, subject, traceparent, tracestate). Move the other values into the body.',
      options,
    );
    this.name = 'TooManyHeadersError';
    this.count = count;
    this.limit = limit;
  }
}

/** A consumed message is not an outbox message this library can decode (no outbox id, or a body that is not JSON). */
export class UndecodableMessageError extends OutboxError {
  /** The broker's message id (not an outbox id: there may be none). */
  readonly brokerMessageId: string | undefined;
  constructor(brokerMessageId: string | undefined, reason: string, options?: { cause?: unknown }) {
    super(
      `Cannot decode message ${brokerMessageId ?? '(no id)'}: ${reason}. It is left on the queue so that the ` +
        "queue's redrive policy moves it to the dead-letter queue after maxReceiveCount receives; inspect it there.",
      options,
    );
    this.name = 'UndecodableMessageError';
    this.brokerMessageId = brokerMessageId;
  }
}

/**
 * `handleOnce` ran the handler but its lease had expired and another instance took the message over,
 * so this instance's result was not recorded (in transactional mode its writes were rolled back).
 */
export class InboxLeaseLostError extends OutboxError {
  readonly consumer: string;
  readonly messageId: string;
  constructor(consumer: string, messageId: string) {
    super(
      `Consumer "${consumer}" lost its lease on message ${messageId} before the handler finished: another instance ` +
        'took it over. Raise leaseMs above the handler\'s longest run time; the redelivery will be reported as a duplicate ' +
        'once the other instance completes it.',
    );
    this.name = 'InboxLeaseLostError';
    this.consumer = consumer;
    this.messageId = messageId;
  }
}

/**
 * The transaction this call runs in is no longer usable: typeorm-transactional still holds it for this
 * call, but its connection was lost mid-way (a database restart, a network drop) and it has rolled back.
 * Nothing was written, and the outbox does not fall back to a transaction of its own here (not even with
 * `allowOutsideTransaction`): the business writes it belonged to are gone, so publishing the event would
 * be a phantom.
 */
export class TransactionEndedError extends OutboxError {
  readonly connectionName: string;
  constructor(connectionName: string) {
    super(
      `The transaction of data source "${connectionName}" that this call runs in lost its database connection ` +
        'and has rolled back, so nothing was written. Retry the whole operation (the business writes rolled back too).',
    );
    this.name = 'TransactionEndedError';
    this.connectionName = connectionName;
  }
}

/** One problem a contract's schema found in a body: where (`path`, e.g. `items.0.sku`; `''` for the body itself) and what. */
export interface EventBodyIssue {
  path: string;
  message: string;
}

/**
 * A body does not match its subject's schema in the event contract. On `sendEvent` nothing is written;
 * on receipt the handler does not run (see the consumer's `onInvalidBody`). `messageId` is set on receipt.
 */
export class InvalidEventBodyError extends InvalidMessageError {
  readonly issues: readonly EventBodyIssue[];
  readonly messageId: string | undefined;
  constructor(subject: string, issues: readonly EventBodyIssue[], options?: { messageId?: string }) {
    const listed = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    super(
      'body',
      `The body of ${JSON.stringify(subject)}${options?.messageId ? ` (message ${options.messageId})` : ''} does not match its schema ` +
        `in the event contract: ${listed}. Fix the body, or evolve the event as a new subject version (e.g. "${subject}.v2").`,
      { subject },
    );
    this.name = 'InvalidEventBodyError';
    this.issues = issues;
    this.messageId = options?.messageId;
  }
}

/** A subject that the event contract does not declare was given to a typed outbox. */
export class UnknownEventSubjectError extends InvalidMessageError {
  constructor(subject: string) {
    super('subject', `Subject ${JSON.stringify(subject)} is not declared in the event contract. Add it to defineContract({...}) first.`, { subject });
    this.name = 'UnknownEventSubjectError';
  }
}

/**
 * A store call (claim, mark, release, stats) did not answer within the relay's `storeTimeoutMs`: a
 * database connection gone silent, say. The relay reports it (`relay:error`), stops waiting and tries
 * again with its backoff; messages a late claim leased are published after their lease runs out.
 */
export class StoreTimeoutError extends OutboxError {
  readonly operation: string;
  readonly timeoutMs: number;
  constructor(operation: string, timeoutMs: number) {
    super(
      `The outbox store's ${operation} did not answer within ${timeoutMs} ms; the relay stopped waiting and will try again. ` +
        'Check the database connection (a half-open TCP connection, a stuck pooler) or raise storeTimeoutMs.',
    );
    this.name = 'StoreTimeoutError';
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A claimed batch's publish did not finish within its share of the lease (`leaseMs` minus the time its
 * marks may take). The relay stopped it (the transport's AbortSignal) and marks what was not confirmed
 * as `retry`, so the batch is marked before its lease runs out and no other relay publishes it meanwhile.
 */
export class PublishDeadlineError extends OutboxError {
  constructor(budgetMs: number, leaseMs: number) {
    super(
      `Publishing a claimed batch took longer than ${budgetMs} ms (its share of the ${leaseMs} ms lease); the relay stopped it and will retry. ` +
        'A slow or unreachable broker endpoint, or lower the batch size / raise leaseMs.',
    );
    this.name = 'PublishDeadlineError';
  }
}
