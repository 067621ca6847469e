import type { DataSourceOptions } from 'typeorm';
import { createOutboxMigration } from '@tx-outbox/outbox-typeorm';
import { CreatePaymentsTable1700000001000 } from './migrations/CreatePaymentsTable1700000001000.js';
import { Payment } from './payments/Payment.js';

/** The service's DataSource, whichever transaction library holds its transactions. */
export function paymentDataSourceOptions(databaseUrl: string): DataSourceOptions & { retryAttempts: number } {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: [Payment],
    // The service owns its schema: the library's outbox migration (with the group indexes its ordered
    // relay claims with: a customer's payments go out in order), then its own table.
    migrations: [createOutboxMigration({ ordered: true }), CreatePaymentsTable1700000001000],
    migrationsRun: true,
    migrationsTableName: 'payment_service_migrations',
    retryAttempts: 2,
  };
}
