import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { OutboxModule } from '../src/nest/index.js';
import { TransactionalOutbox } from '../src/publisher/TransactionalOutbox.js';

describe('OutboxModule.forRoot', () => {
  it('provides TransactionalOutbox globally, injecting the DataSource under the @nestjs/typeorm default token', () => {
    const module = OutboxModule.forRoot({ tableName: 'events' });
    const [provider] = module.providers;

    expect(module).toMatchObject({ module: OutboxModule, global: true, exports: [TransactionalOutbox] });
    expect(provider!.provide).toBe(TransactionalOutbox);
    expect(provider!.inject).toEqual([{ token: DataSource, optional: true }]);
    expect(provider!.useFactory(undefined)).toBeInstanceOf(TransactionalOutbox);
  });

  it('uses the "<name>DataSource" token for a named connection, or the token given', () => {
    expect(OutboxModule.forRoot({ connectionName: 'billing' }).providers[0]!.inject).toEqual([{ token: 'billingDataSource', optional: true }]);
    expect(OutboxModule.forRoot({ dataSourceToken: 'MY_DS', global: false })).toMatchObject({
      global: false,
      providers: [{ inject: [{ token: 'MY_DS', optional: true }] }],
    });
  });

  it('refuses bad outbox options when Nest builds the provider', () => {
    const { providers } = OutboxModule.forRoot({ tableName: 'bad name;' });
    expect(() => providers[0]!.useFactory(undefined)).toThrow(expect.objectContaining({ name: 'InvalidIdentifierError' }));
    const notPostgres = { transaction: () => undefined, options: { type: 'mysql' } };
    expect(() => OutboxModule.forRoot().providers[0]!.useFactory(notPostgres)).toThrow(expect.objectContaining({ name: 'InvalidOptionError' }));
  });
});
