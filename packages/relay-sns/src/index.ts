export { SnsTransport } from './sns/SnsTransport.js';
export type { SnsTransportOptions } from './sns/SnsTransport.js';
export { SqsTransport } from './sqs/SqsTransport.js';
export type { SqsTransportOptions } from './sqs/SqsTransport.js';
export { SqsConsumer } from './consumer/SqsConsumer.js';
export type { SqsConsumerOptions, SqsConsumerInboxOptions, SqsConsumerDedupOptions, SqsConsumerErrorContext } from './consumer/SqsConsumerOptions.js';
export type { ConsumedMessage } from './consumer/ConsumedMessage.js';
export { decodeSqsMessage } from './consumer/decodeSqsMessage.js';
export { createSubjectRouter } from './routing/SubjectRoutes.js';
export type { SubjectRoutes, SnsRoutes, SqsRoutes, PrefixRoute, SubjectRouter } from './routing/SubjectRoutes.js';
export { classifyAwsError, classifyFailedEntry, describeAwsError } from './errors/classifyAwsError.js';
export type { FailureKind, FailedEntryLike } from './errors/classifyAwsError.js';
export { MAX_MESSAGE_ATTRIBUTES, messageAttributes } from './brokerBatch/messageAttributes.js';
export { MAX_BROKER_BATCH_BYTES, MAX_BROKER_BATCH_ENTRIES, splitBrokerBatches } from './brokerBatch/splitBrokerBatches.js';
export type { BrokerBatchLimits } from './brokerBatch/splitBrokerBatches.js';
/** @deprecated aliases of the names above, kept for one minor version. */
export { MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, packBatches } from './brokerBatch/splitBrokerBatches.js';
export type { AwsClientOptions } from './aws/AwsClientOptions.js';
