import type { PublishResult } from '../Transport.js';

/** The result of a message a transport (or a broker-batch `send`) returned nothing for: try it again. */
export function missingResult(id: string): PublishResult {
  return { id, status: 'retry', error: 'not sent: the transport returned no result for this message' };
}
