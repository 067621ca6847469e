import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { type OutboxStore, type Relay, type RelayLogger } from '@tx-outbox/outbox-core';
import { errorText } from '@tx-outbox/outbox-core/internal';
import { OutboxMaintenance } from '@tx-outbox/outbox-typeorm/internal';
import { SETTINGS } from '../cli/configSpec.js';
import { RelayReadiness } from '../health/RelayReadiness.js';
import { startMaintenance } from '../cli/startMaintenance.js';
import { createRelayFromOptions } from './createRelayFromOptions.js';
import type { OutboxRelayModuleOptions } from './OutboxRelayModuleOptions.js';
import { OUTBOX_RELAY_OPTIONS } from './tokens.js';

/**
 * The in-process relay's lifecycle in Nest: built with the module, started on application bootstrap,
 * drained before shutdown (`beforeApplicationShutdown` runs before `@nestjs/typeorm` closes the
 * DataSource in `onApplicationShutdown`, so the last marks still have their connection).
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** The running relay: subscribe to its events (`relay.on('message:dead', …)`), read `relay.running`. */
  readonly relay: Relay;
  /** The store it claims from (the health indicator reads the backlog through it). */
  readonly store: OutboxStore;
  /** Whether it can do its job: claims succeeding, the store taking writes (the health indicator reports it). */
  readonly readiness: RelayReadiness;
  private readonly shutdownTimeoutMs: number;
  private readonly retentionIntervalMs: number;
  private readonly maintenance: OutboxMaintenance | undefined;
  private retention: { stop(): void } | undefined;
  private readonly logger = new Logger('OutboxRelay');

  constructor(@Inject(OUTBOX_RELAY_OPTIONS) options: OutboxRelayModuleOptions) {
    // The relay's own log lines go through Nest's logger unless the options bring a logger.
    ({ relay: this.relay, store: this.store } = createRelayFromOptions({ logger: nestRelayLogger(this.logger), ...options }));
    this.readiness = new RelayReadiness(this.relay, this.store, { timeoutMs: options.storeTimeoutMs });
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000;
    this.retentionIntervalMs = options.retentionIntervalMs ?? sidecarDefault('retentionIntervalMs');
    // The table's upkeep, as the sidecar runs it, when the module owns the connection (not for a store of the app's).
    const { dataSource, pool, tableName, schema } = options;
    if (options.store === undefined && (dataSource !== undefined || pool !== undefined)) {
      this.maintenance = new OutboxMaintenance({ dataSource, pool: pool as never, tableName, schema });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
    this.readiness.start();
    this.logger.log(`relay ${this.relay.relayId} started`);
    if (this.maintenance) {
      const line = (message: string, fields?: Record<string, unknown>) => (fields ? `${message} ${JSON.stringify({ ...fields, error: fields.error === undefined ? undefined : errorText(fields.error) })}` : message);
      this.retention = startMaintenance(
        this.maintenance,
        this.retentionIntervalMs,
        { retentionEmptied: () => {}, retentionFailed: () => {} },
        {
          debug: (m, f) => this.logger.debug(line(m, f)),
          info: (m, f) => this.logger.log(line(m, f)),
          warn: (m, f) => this.logger.warn(line(m, f)),
          error: (m, f) => this.logger.error(line(m, f)),
        },
      );
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.readiness.stop();
    this.retention?.stop();
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      this.relay.stop().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.shutdownTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (!stopped) this.logger.warn('shutdown timeout: closing with batches still in flight; their leases will expire and another relay republishes them');
    else this.logger.log(`relay ${this.relay.relayId} drained and stopped`);
  }
}

function nestRelayLogger(logger: Logger): RelayLogger {
  const line = (message: string, context?: Record<string, unknown>) => (context?.error === undefined ? message : `${message}: ${errorText(context.error)}`);
  return {
    debug: (message, context) => logger.debug(line(message, context)),
    info: (message, context) => logger.log(line(message, context)),
    warn: (message, context) => logger.warn(line(message, context)),
    error: (message, context) => logger.error(line(message, context)),
  };
}

/** The sidecar's default of a setting (one source for both ways of running the relay). */
function sidecarDefault(key: 'retentionIntervalMs'): number {
  return SETTINGS.find((s) => s.key === key)!.default as number;
}
