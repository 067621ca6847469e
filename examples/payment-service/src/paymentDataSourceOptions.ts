import type { DataSourceOptions } from 'typeorm';
import { CreateOutboxTable1700000000000 } from '@tx-outbox/outbox-typeorm';
import { CreatePaymentsTable1700000001000 } from './migrations/CreatePaymentsTable1700000001000.js';
import { Payment } from './payments/Payment.js';

/** The service's DataSource, whichever transaction library holds its transactions. */
export function paymentDataSourceOptions(databaseUrl: string): DataSourceOptions & { retryAttempts: number } {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: [Payment],
    // The service owns its schema: the library's outbox migration, then its own table.
    migrations: [CreateOutboxTable1700000000000, CreatePaymentsTable1700000001000],
    migrationsRun: true,
    migrationsTableName: 'payment_service_migrations',
    retryAttempts: 2,
  };
}
