/** The receive paths of scenario 12, each run in a worker process of its own (workers/consumerCostWorker.ts). */
export const CONSUMER_PATHS = {
  'floor-1': 'the floor: a bare AWS SDK loop (ReceiveMessage ×10, handler, DeleteMessageBatch), 1 loop',
  'floor-4': 'the floor, 4 loops',
  'floor-1-typeorm': 'the floor, 1 loop, the handler in a typeorm-transactional transaction (`runInTransaction`, AsyncLocalStorage)',
  consumer: '`SqsConsumer`, no inbox, defaults',
  'consumer-c50': '`SqsConsumer`, no inbox, concurrency 50',
  'consumer-tx': '`SqsConsumer` + `TransactionalInboxStore`, defaults (typeorm-transactional, AsyncLocalStorage)',
  'consumer-tx-cls-hooked': 'the same with typeorm-transactional\'s cls-hooked driver',
  'consumer-tx-nestjs-cls': 'the same with @nestjs-cls/transactional',
  'consumer-pg': '`SqsConsumer` + `PostgresInboxStore`, defaults',
  'floor-1-handle-once': 'the floor, 1 loop, calling `TransactionalInboxStore.handleOnce` directly',
  lambda: '`createSqsLambdaHandler` + `TransactionalInboxStore`, fed batches of 10 in process, 1 loop',
  'outbox-message-handler': '`outboxMessageHandler` + `TransactionalInboxStore` in a bare loop, 1 loop',
  'consumer-tx-duplicates': '`SqsConsumer` + `TransactionalInboxStore`, 5 % of messages delivered twice, both copies in flight at once',
} as const;

export type ConsumerPathId = keyof typeof CONSUMER_PATHS;

/** What the scenario hands a worker (argv[2], JSON). */
export interface ConsumerCostWorkerConfig {
  path: ConsumerPathId;
  databaseUrl: string;
  endpoint: string;
  queueUrl: string;
  /** Deliveries to wait for: the messages, plus the second copies of the duplicated ones. */
  deliveries: number;
  /** pg_stat_statements is loaded (else statements are counted as transactions). */
  withStatements: boolean;
}

/** What a worker prints (one JSON line) once every delivery was handled and acknowledged. */
export interface ConsumerCostWorkerReport {
  path: ConsumerPathId;
  /** Handler runs, and deliveries the inbox suppressed as duplicates. */
  processed: number;
  duplicates: number;
  /** From the first receive to the last acknowledgement (the consumer's `stop()` included). */
  ms: number;
  cpuUserMicros: number;
  cpuSystemMicros: number;
  /** SQS calls by command name, counted by a middleware on the worker's client. */
  sqsCalls: Record<string, number>;
  /** pg_stat_statements over the run, for the worker's database (its own stats queries left out). */
  statements: number;
  execMs: number;
  /** Errors the path reported, by `stage:name` (e.g. `handler:MessageInProgressError`). */
  errors: Record<string, number>;
}
