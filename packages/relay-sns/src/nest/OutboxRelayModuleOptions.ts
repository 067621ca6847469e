import type { OutboxStore, RelayOptions, Transport } from '@tx-outbox/outbox-core';
import type { DataSourceLike, PgPoolLike } from '@tx-outbox/outbox-typeorm/postgres';
import type { ClaimCheckOptions } from '../claimCheck/ClaimCheckOptions.js';

/**
 * Options of `OutboxRelayModule`: the relay inside a Nest app, configured like the sidecar (the same
 * route syntax, transport choice and relay settings), with the app's own DataSource.
 */
export interface OutboxRelayModuleOptions extends Omit<RelayOptions, 'store' | 'transport'> {
  /**
   * The database: the app's TypeORM `DataSource` (postgres; inject it in `forRootAsync`), a pg `Pool`,
   * or a ready `OutboxStore`. Exactly one.
   */
  dataSource?: DataSourceLike;
  pool?: PgPoolLike;
  store?: OutboxStore;
  /** Outbox table and schema, as for the publisher. @defaultValue `outbox`, the search_path */
  tableName?: string;
  schema?: string;
  /**
   * Where subjects go, as `OUTBOX_ROUTES` takes them (`payment.*=arn:...,*=arn:...` or a JSON object),
   * published with `transportType`. Or give `transport` instead.
   */
  routes?: string;
  /** `sns` (topic ARNs) or `sqs` (queue URLs), as `OUTBOX_TRANSPORT`. @defaultValue `'sns'` */
  transportType?: 'sns' | 'sqs';
  /** AWS region and endpoint for the transport built from `routes`. */
  region?: string;
  endpoint?: string;
  /**
   * Largest message of every route of the transport built from `routes`, as `OUTBOX_MAX_MESSAGE_BYTES`.
   * @defaultValue each topic's or queue's own `MaximumMessageSize`, read from it
   */
  maxMessageBytes?: number;
  /** Claim-check through S3 for the transport built from `routes`, as the `OUTBOX_CLAIM_CHECK_*` settings. @defaultValue off */
  claimCheck?: ClaimCheckOptions;
  /** A transport of your own instead of `routes`. */
  transport?: Transport;
  /**
   * How often the outbox table's upkeep runs (retention by the table's own retention, set when it was
   * created; see `OutboxMaintenance`), as `OUTBOX_RETENTION_INTERVAL_MS`. Only with `dataSource` or `pool`.
   * @defaultValue the sidecar's: 60000
   */
  retentionIntervalMs?: number;
  /**
   * On shutdown, how long to wait for in-flight batches before letting the app close anyway (their
   * leases then expire and another relay republishes them), as `OUTBOX_SHUTDOWN_TIMEOUT_MS`. @defaultValue 30000
   */
  shutdownTimeoutMs?: number;
}
