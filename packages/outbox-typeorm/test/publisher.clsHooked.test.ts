import { StorageDriver } from 'typeorm-transactional';
import { describePublisher } from './publisherScenarios.js';

describePublisher(StorageDriver.CLS_HOOKED);
