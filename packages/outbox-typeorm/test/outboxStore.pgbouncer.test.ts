// The relay store suites (claims, ordered claims, marks, retention) again, every connection through
// PgBouncer in transaction mode.
import { throughPgBouncer } from './fixtures/testDatabase.js';

throughPgBouncer();
await import('./outboxStore.test.js');
await import('./outboxStore.ordered.test.js');
