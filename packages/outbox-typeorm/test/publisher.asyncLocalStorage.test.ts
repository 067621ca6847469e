import { StorageDriver } from 'typeorm-transactional';
import { describePublisher } from './publisherScenarios.js';

describePublisher(StorageDriver.ASYNC_LOCAL_STORAGE);
