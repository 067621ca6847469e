import type { DataSourceOptions } from 'typeorm';
import { createOutboxMigration } from '@tx-outbox/outbox-typeorm';
import { CreatePaymentsTable1700000001000 } from './migrations/CreatePaymentsTable1700000001000.js';
import { Payment } from './payments/Payment.js';

/** The service's DataSource, whichever transaction library holds its transactions. */
export function paymentDataSourceOptions(databaseUrl: string): DataSourceOptions & { retryAttempts: number; retryDelay: number } {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: [Payment],
    // The service owns its schema: the library's outbox migration (with the group indexes its ordered
    // relay claims with: a customer's payments go out in order), then its own table.
    migrations: [createOutboxMigration({ ordered: true }), CreatePaymentsTable1700000001000],
    migrationsRun: true,
    migrationsTableName: 'payment_service_migrations',
    // A database that is not up yet (or refuses the password) is tried again for a minute, each failure
    // logged by @nestjs/typeorm with its real error; 1 s apart, so the service is up soon after the database.
    retryAttempts: 60,
    retryDelay: 1_000,
  };
}
