import { DEFAULT_RELAY_OPTIONS, DEFAULT_RETRY_POLICY, RELAY_OPTION_RANGES, RETRY_POLICY_RANGES, type NumericKind, type OptionRange } from '@tx-outbox/outbox-core/internal';
import { DEFAULT_TRANSPORT_OPTIONS, TRANSPORT_OPTION_RANGES } from '../brokerBatch/BrokerBatchSender.js';
import { CLAIM_CHECK_THRESHOLD_RANGE } from '../claimCheck/ClaimCheckOptions.js';

/**
 * Every setting of the `outbox-relay` sidecar: its environment variable, its flag, what it expects
 * and its default. The single source for parsing, `--help` and the README's configuration table.
 */
export interface SettingSpec {
  key: keyof RelayCliConfig;
  env: string;
  flag: string;
  /** A numeric kind is checked and worded by core's options kit (`expectedText`). */
  kind: 'string' | NumericKind | 'boolean' | 'enum' | 'url' | 'routes' | 'identifier' | 'tokens' | 'bucket' | 'keyPrefix' | 'targets';
  /** For `enum`. */
  values?: readonly string[];
  min?: number;
  max?: number;
  default?: string | number | boolean;
  required?: boolean;
  /** Commands that read it (default: all). */
  commands?: readonly string[];
  help: string;
}

/** The parsed configuration. */
export interface RelayCliConfig {
  databaseUrl: string;
  listenDatabaseUrl: string | undefined;
  table: string;
  schema: string | undefined;
  inboxTable: string;
  transport: 'sns' | 'sqs';
  region: string;
  endpoint: string | undefined;
  routes: string | undefined;
  maxMessageBytes: number | undefined;
  claimCheckBucket: string | undefined;
  claimCheckTargets: string | undefined;
  claimCheckKeyPrefix: string | undefined;
  claimCheckThresholdBytes: number | undefined;
  batchSize: number;
  maxInFlight: number;
  publishConcurrency: number;
  pollIntervalMs: number;
  leaseMs: number;
  storeTimeoutMs: number;
  ordered: boolean;
  maxAttempts: number;
  retryInitialMs: number;
  retryCoefficient: number;
  retryMaxMs: number;
  retryJitter: number;
  retentionMs: number;
  retentionIntervalMs: number;
  inboxRetentionIntervalMs: number;
  httpPort: number;
  httpHost: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'json' | 'pretty';
  shutdownTimeoutMs: number;
  confirmAbove: number;
  console: boolean;
  consoleHost: string;
  consolePort: number;
  consoleWrites: boolean;
  consoleTokens: string | undefined;
  consoleBasePath: string;
  emulatorPort: number;
}

const RUN = ['run'] as const;
const CONSOLE = ['run', 'console'] as const;
/** Every command but `dev`, which needs no database. */
const DATABASE = ['migrate', 'run', 'status', 'requeue', 'republish', 'purge', 'console'] as const;
/** The commands that talk to SNS/SQS: `run` publishes, `dev` creates what the routes name. */
const AWS = ['run', 'dev'] as const;

/** The library's own default and accepted range of an option, so the sidecar never repeats them. */
function library(kind: NumericKind, range: OptionRange, defaultValue: number): Pick<SettingSpec, 'kind' | 'min' | 'max' | 'default'> {
  return { kind, min: range.min, max: range.max, default: defaultValue };
}
const relay = (key: 'batchSize' | 'maxInFlight') => library('integer', RELAY_OPTION_RANGES[key], DEFAULT_RELAY_OPTIONS[key]);
const relayMs = (key: 'pollIntervalMs' | 'leaseMs' | 'storeTimeoutMs') => library('duration', RELAY_OPTION_RANGES[key], DEFAULT_RELAY_OPTIONS[key]);
const retry = (key: keyof typeof RETRY_POLICY_RANGES, kind: NumericKind) => library(kind, RETRY_POLICY_RANGES[key], DEFAULT_RETRY_POLICY[key]);

export const SETTINGS: readonly SettingSpec[] = [
  { key: 'databaseUrl', env: 'DATABASE_URL', flag: 'database-url', kind: 'url', required: true, commands: DATABASE, help: 'PostgreSQL URL of the database holding the outbox table (postgres://user:pass@host:5432/db).' },
  { key: 'listenDatabaseUrl', env: 'OUTBOX_LISTEN_DATABASE_URL', flag: 'listen-database-url', kind: 'url', commands: RUN, help: 'PostgreSQL URL for the LISTEN connection only (default: DATABASE_URL). Behind a transaction-mode pooler (PgBouncer, RDS Proxy) point it at PostgreSQL directly or at a session-mode pool: notifications do not pass transaction mode.' },
  { key: 'table', env: 'OUTBOX_TABLE', flag: 'table', kind: 'identifier', default: 'outbox', commands: DATABASE, help: 'Outbox table name.' },
  { key: 'schema', env: 'OUTBOX_SCHEMA', flag: 'schema', kind: 'identifier', commands: DATABASE, help: 'Schema of the outbox table (default: the search_path, usually public).' },
  { key: 'inboxTable', env: 'OUTBOX_INBOX_TABLE', flag: 'inbox-table', kind: 'identifier', default: 'inbox', commands: ['migrate', 'run'], help: 'Inbox table name: created by migrate in the same schema, purged of expired records by run.' },
  { key: 'transport', env: 'OUTBOX_TRANSPORT', flag: 'transport', kind: 'enum', values: ['sns', 'sqs'], default: 'sns', commands: AWS, help: 'Publish to SNS topics or straight to SQS queues (dev: create topics, each with a queue of its name subscribed, or queues).' },
  { key: 'region', env: 'AWS_REGION', flag: 'region', kind: 'string', default: 'us-east-1', commands: AWS, help: 'AWS region.' },
  { key: 'endpoint', env: 'AWS_ENDPOINT_URL', flag: 'endpoint', kind: 'url', commands: AWS, help: 'Override the AWS endpoint (e.g. a local SNS/SQS emulator). For dev: an emulator already running, used instead of starting one.' },
  { key: 'routes', env: 'OUTBOX_ROUTES', flag: 'routes', kind: 'routes', required: true, commands: AWS, help: 'Subject → topic ARN (or queue URL): "payment.created=arn:...,payment.*=arn:...,*=arn:..." (a trailing * is a prefix rule; longest wins) or a JSON object. dev also takes bare names (payment.*=payments).' },
  { key: 'maxMessageBytes', env: 'OUTBOX_MAX_MESSAGE_BYTES', flag: 'max-message-bytes', kind: 'integer', min: TRANSPORT_OPTION_RANGES.maxMessageBytes.min, max: TRANSPORT_OPTION_RANGES.maxMessageBytes.max, commands: RUN, help: "Largest message (body plus attributes) of every route, instead of each topic's or queue's own MaximumMessageSize (default: read from each, 262144 when it cannot be read)." },
  { key: 'claimCheckBucket', env: 'OUTBOX_CLAIM_CHECK_BUCKET', flag: 'claim-check-bucket', kind: 'bucket', commands: RUN, help: 'S3 bucket for claim-check: a message over its route\'s limit (or the threshold) is written there and a pointer is published (AWS extended-client format). Needs OUTBOX_CLAIM_CHECK_TARGETS and @aws-sdk/client-s3.' },
  { key: 'claimCheckTargets', env: 'OUTBOX_CLAIM_CHECK_TARGETS', flag: 'claim-check-targets', kind: 'targets', commands: RUN, help: 'The topic ARNs (or queue URLs) whose consumers read claim-checked messages, comma-separated, or * for every route.' },
  { key: 'claimCheckKeyPrefix', env: 'OUTBOX_CLAIM_CHECK_KEY_PREFIX', flag: 'claim-check-key-prefix', kind: 'keyPrefix', commands: RUN, help: 'Prefix of the S3 keys (the key is the prefix and the outbox id), e.g. outbox/: what the bucket\'s lifecycle rule filters on.' },
  { key: 'claimCheckThresholdBytes', env: 'OUTBOX_CLAIM_CHECK_THRESHOLD_BYTES', flag: 'claim-check-threshold-bytes', kind: 'integer', min: CLAIM_CHECK_THRESHOLD_RANGE.min, max: CLAIM_CHECK_THRESHOLD_RANGE.max, commands: RUN, help: 'Claim-check every message over this many bytes, even where its route could carry it (0: every message of the targets; default: the route\'s limit).' },
  { key: 'batchSize', env: 'OUTBOX_BATCH_SIZE', flag: 'batch-size', ...relay('batchSize'), commands: RUN, help: 'Messages claimed per database round trip.' },
  { key: 'maxInFlight', env: 'OUTBOX_MAX_IN_FLIGHT', flag: 'max-in-flight', ...relay('maxInFlight'), commands: RUN, help: 'Claimed batches being published at once.' },
  { key: 'publishConcurrency', env: 'OUTBOX_PUBLISH_CONCURRENCY', flag: 'publish-concurrency', ...library('integer', TRANSPORT_OPTION_RANGES.concurrency, DEFAULT_TRANSPORT_OPTIONS.concurrency), commands: RUN, help: 'PublishBatch/SendMessageBatch calls in flight per claimed batch.' },
  { key: 'pollIntervalMs', env: 'OUTBOX_POLL_INTERVAL_MS', flag: 'poll-interval-ms', ...relayMs('pollIntervalMs'), commands: RUN, help: 'Fallback poll interval; NOTIFY wakes the relay sooner.' },
  { key: 'leaseMs', env: 'OUTBOX_LEASE_MS', flag: 'lease-ms', ...relayMs('leaseMs'), commands: RUN, help: 'How long a claim is held before another relay may take the messages over.' },
  { key: 'storeTimeoutMs', env: 'OUTBOX_STORE_TIMEOUT_MS', flag: 'store-timeout-ms', ...relayMs('storeTimeoutMs'), commands: RUN, help: 'How long the relay waits for one database call (claim, mark, stats) before it reports StoreTimeoutError and retries.' },
  { key: 'ordered', env: 'OUTBOX_ORDERED', flag: 'ordered', kind: 'boolean', default: DEFAULT_RELAY_OPTIONS.ordered, commands: ['migrate', 'run'], help: 'Publish each groupKey in commit order (one batch of a group in flight at a time). For migrate: create the indexes ordered relays need.' },
  { key: 'maxAttempts', env: 'OUTBOX_MAX_ATTEMPTS', flag: 'max-attempts', ...retry('maxAttempts', 'integer'), commands: RUN, help: 'Attempts before a message is dead-lettered.' },
  { key: 'retryInitialMs', env: 'OUTBOX_RETRY_INITIAL_MS', flag: 'retry-initial-ms', ...retry('initialIntervalMs', 'duration'), commands: RUN, help: 'First retry delay.' },
  { key: 'retryCoefficient', env: 'OUTBOX_RETRY_COEFFICIENT', flag: 'retry-coefficient', ...retry('backoffCoefficient', 'number'), commands: RUN, help: 'Each retry delay is the previous one times this.' },
  { key: 'retryMaxMs', env: 'OUTBOX_RETRY_MAX_MS', flag: 'retry-max-ms', ...retry('maxIntervalMs', 'duration'), commands: RUN, help: 'Longest retry delay.' },
  { key: 'retryJitter', env: 'OUTBOX_RETRY_JITTER', flag: 'retry-jitter', ...retry('jitter', 'number'), commands: RUN, help: 'Random spread of each delay, as a fraction.' },
  { key: 'retentionMs', env: 'OUTBOX_RETENTION_MS', flag: 'retention-ms', kind: 'duration', min: 0, max: 31_536_000_000, default: 604_800_000, commands: ['migrate'], help: 'Set by migrate on the outbox table: sent messages are kept at least this long, and at most one and a half times this (0 keeps them). Dead and waiting messages are kept. Retention then empties whole slots of the table with TRUNCATE.' },
  { key: 'retentionIntervalMs', env: 'OUTBOX_RETENTION_INTERVAL_MS', flag: 'retention-interval-ms', kind: 'duration', min: 1000, max: 86_400_000, default: 60_000, commands: RUN, help: 'How often the relay runs the outbox table\'s upkeep: retention (by the table\'s retention) and, after an upgrade, moving the old table\'s rows.' },
  { key: 'inboxRetentionIntervalMs', env: 'OUTBOX_INBOX_RETENTION_INTERVAL_MS', flag: 'inbox-retention-interval-ms', kind: 'duration', min: 0, max: 86_400_000, default: 60_000, commands: RUN, help: 'How often expired inbox records are deleted, in batches (0 turns it off; so does a database without the inbox table).' },
  { key: 'httpPort', env: 'OUTBOX_HTTP_PORT', flag: 'http-port', kind: 'integer', min: 0, max: 65_535, default: 9464, commands: RUN, help: 'Port of /healthz, /readyz and /metrics (0 picks a free port).' },
  { key: 'emulatorPort', env: 'OUTBOX_EMULATOR_PORT', flag: 'emulator-port', kind: 'integer', min: 0, max: 65_535, default: 4566, commands: ['dev'], help: 'Port of the local SNS/SQS emulator dev starts on 127.0.0.1 (0 picks a free port).' },
  { key: 'httpHost', env: 'OUTBOX_HTTP_HOST', flag: 'http-host', kind: 'string', default: '127.0.0.1', commands: RUN, help: 'Address the HTTP endpoints bind to (0.0.0.0 to expose them).' },
  { key: 'logLevel', env: 'OUTBOX_LOG_LEVEL', flag: 'log-level', kind: 'enum', values: ['debug', 'info', 'warn', 'error'], default: 'info', help: 'Lowest level of the log lines written to stdout.' },
  { key: 'logFormat', env: 'OUTBOX_LOG_FORMAT', flag: 'log-format', kind: 'enum', values: ['json', 'pretty'], default: 'json', help: 'json: one JSON object per line (pino); pretty: readable lines for a terminal (needs pino-pretty).' },
  { key: 'shutdownTimeoutMs', env: 'OUTBOX_SHUTDOWN_TIMEOUT_MS', flag: 'shutdown-timeout-ms', kind: 'duration', min: 1000, max: 600_000, default: 30_000, commands: RUN, help: 'On SIGTERM, how long to wait for in-flight batches before exiting anyway (their leases then expire and another relay republishes).' },
  { key: 'confirmAbove', env: 'OUTBOX_CONFIRM_ABOVE', flag: 'confirm-above', kind: 'integer', min: 0, max: 100_000_000, default: 1000, commands: ['republish', 'purge', 'run', 'console'], help: 'A republish or purge matching more messages than this is refused unless --yes is given (in the console: unless its confirmation box is ticked).' },
  { key: 'console', env: 'OUTBOX_CONSOLE', flag: 'console', kind: 'boolean', default: false, commands: RUN, help: 'Serve the operator console beside the relay, on OUTBOX_CONSOLE_HOST:OUTBOX_CONSOLE_PORT (outbox-relay console serves it alone).' },
  { key: 'consoleHost', env: 'OUTBOX_CONSOLE_HOST', flag: 'console-host', kind: 'string', default: '127.0.0.1', commands: CONSOLE, help: 'Address the console binds to. Anything but a loopback address (127.0.0.1, ::1, localhost) needs OUTBOX_CONSOLE_TOKENS.' },
  { key: 'consolePort', env: 'OUTBOX_CONSOLE_PORT', flag: 'console-port', kind: 'integer', min: 0, max: 65_535, default: 9465, commands: CONSOLE, help: 'Port of the console (0 picks a free port).' },
  { key: 'consoleWrites', env: 'OUTBOX_CONSOLE_WRITES', flag: 'console-writes', kind: 'boolean', default: false, commands: CONSOLE, help: 'Allow requeue, republish and purge from the console (read-only otherwise). Needs OUTBOX_CONSOLE_TOKENS.' },
  { key: 'consoleTokens', env: 'OUTBOX_CONSOLE_TOKENS', flag: 'console-tokens', kind: 'tokens', commands: CONSOLE, help: 'Console access tokens, "name=token,name=token" (each token at least 16 characters; the name is what the audit log records). With tokens every console page needs a sign-in.' },
  { key: 'consoleBasePath', env: 'OUTBOX_CONSOLE_BASE_PATH', flag: 'console-base-path', kind: 'string', default: '/', commands: CONSOLE, help: 'Path the console is served under, e.g. /outbox behind a reverse proxy.' },
];
