import { UndecodableMessageError } from '@tx-outbox/outbox-core';
import type { ReceivedOutboxMessage } from '../consumer/receiveOutboxMessage.js';
import { ClaimCheckReadError } from './ClaimCheckReadError.js';
import type { ClaimCheckReader } from './ClaimCheckReader.js';

/**
 * A received message with its real body: a claim-checked one's is read from S3 (the handler sees the
 * body as sent, the inbox fingerprints it and keys on the same outbox id); any other comes back as is.
 *
 * @throws ClaimCheckReadError when S3 cannot give the object (leave the message for redelivery);
 *   UndecodableMessageError when the object is not JSON.
 */
export async function readClaimCheckedBody(received: ReceivedOutboxMessage, reader: ClaimCheckReader, signal?: AbortSignal): Promise<ReceivedOutboxMessage> {
  const pointer = received.claimCheck;
  if (pointer === undefined) return received;
  let bodyText: string;
  try {
    bodyText = await reader.read(pointer, signal);
  } catch (error) {
    if ((error as Error)?.name === 'MissingPeerDependencyError') throw error;
    throw new ClaimCheckReadError(received.message.id, pointer.bucket, pointer.key, { cause: error });
  }
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch (error) {
    throw new UndecodableMessageError(received.message.raw.MessageId, `its claim-checked body at s3://${pointer.bucket}/${pointer.key} is not JSON (outbox id ${received.message.id})`, { cause: error });
  }
  const { claimCheck: _, ...rest } = received;
  return { ...rest, message: { ...received.message, body }, bodyText };
}
