import type { BlockedRoute } from '@tx-outbox/outbox-core';
import type { DataSourceLike, PgQueryable, TableLocation } from '@tx-outbox/outbox-typeorm/postgres';
import type { IncomingMessage } from 'node:http';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import type { ConsoleToken } from './consoleAuth.js';

/** What the console logs: an audit line per action, a warning per failed page. */
export interface ConsoleLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** Options of {@link createOutboxConsoleHandler}. Give exactly one of `pool` and `dataSource`. */
export interface OutboxConsoleOptions extends TableLocation {
  /** A pg `Pool` on the database holding the outbox table. */
  pool?: PgQueryable;
  /** A TypeORM `DataSource` on the postgres driver. */
  dataSource?: DataSourceLike;
  /**
   * The path the console is served under (its links and cookies are made under it), e.g. `/outbox`.
   * @defaultValue `/`
   */
  basePath?: string;
  /**
   * Allow requeue, republish and purge. They also need a way to know who acts: `tokens`, or
   * `authenticate` (in Nest, the user your guard let through). @defaultValue false (read-only)
   */
  writes?: boolean;
  /**
   * Access tokens, each with a name the audit log records (`{ name: 'alice', token }`, at least 16
   * characters). With tokens, every page needs a login with one of them (a session cookie).
   * @defaultValue none: the console is open, read-only, and must then only be reachable from this host
   */
  tokens?: readonly ConsoleToken[];
  /**
   * Who makes a request, when the application authenticates it itself (a Nest guard, a proxy): return
   * a name for the audit log, or `undefined` to refuse the request (401). Instead of `tokens`.
   */
  authenticate?: (req: IncomingMessage) => string | undefined | Promise<string | undefined>;
  /**
   * Key of the CSRF tokens when `authenticate` is used; give the same one to every replica behind one
   * address. @defaultValue a random key per process (a form opened on one replica is refused by another)
   */
  csrfSecret?: string;
  /**
   * The `Host` headers accepted (e.g. `127.0.0.1:9465`): anything else is refused, so a page of another
   * site cannot reach a console on this machine through a DNS name it points here (DNS rebinding).
   * @defaultValue any
   */
  allowedHosts?: readonly string[];
  /** A republish or purge of more messages than this needs a confirmation box ticked (as `--yes`). @defaultValue 1000 */
  confirmAbove?: number;
  /** Rows per statement of an action. @defaultValue 1000 */
  batchSize?: number;
  /** The relay's blocked routes (a running `Relay`'s `blockedRoutes`), shown on the overview. */
  blockedRoutes?: () => readonly BlockedRoute[];
  /** The route (topic ARN or queue URL) of a subject, to show the backlog per route. */
  routeOf?: (subject: string) => string | undefined;
  /** Where the audit lines go. @defaultValue none */
  logger?: ConsoleLogger;
  /** A prom-client `Registry` to count the actions on (`outbox_console_actions_total`, `outbox_console_action_messages_total`). */
  registry?: MetricsRegistry;
}
