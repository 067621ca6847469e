import { Injectable } from '@nestjs/common';
import { errorText } from '@tx-outbox/outbox-core';
import { OutboxRelayService } from './OutboxRelayService.js';

/** A `@nestjs/terminus` indicator result (`HealthIndicatorResult`), declared here so Terminus stays optional. */
export type OutboxHealthResult<Key extends string = string> = Record<Key, { status: 'up' | 'down' } & Record<string, unknown>>;

/**
 * Health of the in-process relay for `@nestjs/terminus`: `up` with the backlog figures while the relay
 * runs and the outbox table answers within `timeoutMs`; `down` (with the reason) when the relay is not
 * running or the database does not answer. Returns Terminus's result shape without importing Terminus.
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
    let timer: NodeJS.Timeout | undefined;
    try {
      const stats = await Promise.race([
        this.service.store.stats(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the outbox table did not answer within ${timeoutMs} ms`)), timeoutMs))),
      ]);
      return result('up', { ...stats });
    } catch (error) {
      return result('down', { message: errorText(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}
