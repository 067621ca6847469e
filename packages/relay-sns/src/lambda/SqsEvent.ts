// The shapes AWS Lambda hands an SQS event source mapping's function, declared structurally so this
// package needs no @types/aws-lambda (the names match that package's SQSEvent / SQSBatchResponse).

/** A message attribute as Lambda delivers it (lower-case keys, unlike the SDK's `Message`). */
export interface SqsEventMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  dataType: string;
}

/** One record of an SQS event. */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** `ApproximateReceiveCount`, `MessageGroupId` (FIFO), `SentTimestamp`, … */
  attributes: Record<string, string | undefined>;
  messageAttributes: Record<string, SqsEventMessageAttribute>;
  eventSourceARN?: string;
}

/** The event of an SQS event source mapping. */
export interface SqsEvent {
  Records: SqsEventRecord[];
}

/**
 * The partial batch response: the records to retry. Needs `ReportBatchItemFailures` in the event
 * source mapping's `FunctionResponseTypes`; without it Lambda ignores it and retries the whole batch.
 */
export interface SqsBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}
