// The relay store suite again, every connection through PgBouncer in transaction mode.
import { throughPgBouncer } from './fixtures/testDatabase.js';

throughPgBouncer();
await import('./outboxStore.test.js');
