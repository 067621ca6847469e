// The inbox (PostgresInboxStore) suite again, every connection through PgBouncer in transaction mode.
import { throughPgBouncer } from './fixtures/testDatabase.js';

throughPgBouncer();
await import('./dedupPostgres.test.js');
