import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SqsEventRecord } from './SqsEvent.js';

/** A Lambda SQS record in the SDK's `Message` shape, so one decoder serves every consumer. */
export function sqsRecordToMessage(record: SqsEventRecord): Message {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(record.messageAttributes ?? {})) {
    attributes[name] = { DataType: value.dataType, StringValue: value.stringValue };
  }
  return {
    MessageId: record.messageId,
    ReceiptHandle: record.receiptHandle,
    Body: record.body,
    Attributes: record.attributes as Message['Attributes'],
    MessageAttributes: attributes,
  };
}
