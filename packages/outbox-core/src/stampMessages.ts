import { newMessageId } from './newMessageId.js';
import type { PreparedMessage } from './prepareMessage.js';
import { captureTraceContext } from './tracing/captureTraceContext.js';
import type { ValidatedMessage } from './validateMessage.js';

/**
 * Gives each validated message its id and the active trace context (recording its `create` span).
 * Call it only for an accepted call, right before the write: the spans say these messages exist.
 */
export function stampMessages(messages: readonly ValidatedMessage[]): PreparedMessage[] {
  return messages.map((message) => {
    const id = newMessageId();
    // The active trace's context travels in the headers, under the reserved W3C names ({} without OpenTelemetry).
    return { ...message, id, headers: { ...message.headers, ...captureTraceContext(id, message.subject) } };
  });
}
