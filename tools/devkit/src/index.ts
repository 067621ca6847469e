export { freePort } from './freePort.js';
export { startPostgres } from './startPostgres.js';
export type { RunningPostgres, StartPostgresOptions } from './startPostgres.js';
export { startBroker, useLocalAwsDefaults } from './startBroker.js';
export type { RunningBroker, StartBrokerOptions } from './startBroker.js';
export { createTestDatabase } from './createTestDatabase.js';
export type { TestDatabase } from './createTestDatabase.js';
export { setupInfrastructure } from './vitestGlobalSetup.js';
export type { DevkitProvided } from './vitestGlobalSetup.js';
