import { Injectable } from '@nestjs/common';
import { errorText, withDeadline } from '@tx-outbox/outbox-core/internal';
import { OutboxRelayService } from './OutboxRelayService.js';

/** A `@nestjs/terminus` indicator result (`HealthIndicatorResult`), declared here so Terminus stays optional. */
export type OutboxHealthResult<Key extends string = string> = Record<Key, { status: 'up' | 'down' } & Record<string, unknown>>;

/**
 * Health of the in-process relay for `@nestjs/terminus`: `up` with the backlog figures (and any blocked
 * routes) while the relay can do its job; `down` with `message` and `reasons` (see `RelayReadiness`) when
 * it is not running, its claims fail, the database is a standby or read-only (checked at each call), or
 * the outbox table does not answer within `timeoutMs`. Returns Terminus's result shape without
 * importing Terminus.
 *
 * @example
 * ```ts
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.outbox.isHealthy('outbox')]); }
 * ```
 */
@Injectable()
export class OutboxRelayHealthIndicator {
  constructor(private readonly service: OutboxRelayService) {}

  async isHealthy<Key extends string = 'outbox'>(key: Key = 'outbox' as Key, timeoutMs = 3000): Promise<OutboxHealthResult<Key>> {
    const result = (status: 'up' | 'down', data: Record<string, unknown>) => ({ [key]: { status, ...data } }) as OutboxHealthResult<Key>;
    if (!this.service.relay.running) return result('down', { message: 'the relay is not running' });
    const { readiness, store } = this.service;
    let stats;
    try {
      // The writable check at most as long as the stats may take: a slow one leaves the last verdict.
      const checked = withDeadline('checkWritable', timeoutMs, readiness.checkWritable()).catch(() => {});
      [stats] = await Promise.all([withDeadline('stats', timeoutMs, store.stats()), checked]);
    } catch (error) {
      return result('down', { message: `the outbox table did not answer: ${errorText(error)}`, reasons: readiness.read().reasons });
    }
    const { ready, reasons, blockedRoutes } = readiness.read();
    if (!ready) return result('down', { message: reasons.map((r) => r.message).join('; '), reasons });
    return result('up', { ...stats, ...(blockedRoutes.length > 0 ? { blockedRoutes } : {}) });
  }
}
