// The inbox suites (PostgresInboxStore, and the transactional one on a TypeORM DataSource) again, every
// connection through PgBouncer in transaction mode.
import { throughPgBouncer } from './fixtures/testDatabase.js';

throughPgBouncer();
await import('./inboxPostgres.test.js');
await import('./inboxTransactional.test.js');
