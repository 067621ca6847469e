export { InMemoryOutboxStore } from './InMemoryOutboxStore.js';
export type { InMemoryOutboxRow, InMemoryStoreOperation } from './InMemoryOutboxStore.js';
export { TestTransport } from './TestTransport.js';
export type { FailureRule, MessageMatcher, TestTransportCall, TestTransportOptions } from './TestTransport.js';
export { waitFor } from './waitFor.js';
