// The publisher suite again (AsyncLocalStorage driver), every connection through PgBouncer in transaction mode.
import { StorageDriver } from 'typeorm-transactional';
import { describePublisher } from './publisherScenarios.js';
import { throughPgBouncer } from './fixtures/testDatabase.js';

throughPgBouncer();
describePublisher(StorageDriver.ASYNC_LOCAL_STORAGE);
