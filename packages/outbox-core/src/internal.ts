/**
 * Entry point `@tx-outbox/outbox-core/internal`: what the sibling packages (`@tx-outbox/outbox-typeorm`,
 * `@tx-outbox/relay-sns`), the benchmarks and the tools share with the core. It carries **no semver
 * promise**: any release may change or remove any of it. Applications import `@tx-outbox/outbox-core`.
 *
 * @packageDocumentation
 */
// The message model: the publishers' validation and stamping, the size rule, the broker attributes.
export { CLAIM_CHECK_SIZE_ATTRIBUTES, DEFAULT_MAX_MESSAGE_BYTES, SUBJECT_ATTRIBUTE, messageSize } from './messageSize.js';
export { jsonbTextLength } from './jsonbTextLength.js';
export { newMessageId } from './newMessageId.js';
export { prepareMessages } from './prepareMessage.js';
export type { PreparedMessage } from './prepareMessage.js';
export { validateMessages } from './validateMessages.js';
export { stampMessages } from './stampMessages.js';
export type { ValidatedMessage } from './validateMessage.js';
export { MAX_MESSAGE_ATTRIBUTES } from './validation/checkHeaders.js';
export { checkSubject } from './validation/checkSubject.js';
export { UnroutedSubjectError, TooManyAttributesError } from './errors.js';
// The relay's defaults and ranges (the sidecar's settings read them) and its helpers.
export { DEFAULT_RELAY_OPTIONS, RELAY_OPTION_RANGES } from './relay/RelayOptions.js';
export { DEFAULT_RETRY_POLICY, RETRY_POLICY_RANGES } from './relay/RetryPolicy.js';
export { STORE_ERROR_BACKOFF } from './relay/ClaimLoop.js';
export { consoleRelayLogger } from './relay/RelayLogger.js';
export { heldBackError } from './relay/GroupGate.js';
export { computeBackoff } from './relay/computeBackoff.js';
export { withDeadline } from './relay/withDeadline.js';
export { errorText } from './relay/errorText.js';
export { SafeEmitter } from './relay/SafeEmitter.js';
export { parseSubjectPattern } from './subjectPattern.js';
export type { SubjectPattern } from './subjectPattern.js';
// The options kit: one check and one wording per kind of option.
export { checkBoolean, checkDuration, checkInteger, checkNumber, expectedText, isInRange } from './options/optionChecks.js';
export type { NumericKind, OptionRange } from './options/optionChecks.js';
export { withoutUndefined } from './withoutUndefined.js';
// Secrets in what the sidecar prints.
export { maskUrlPasswords } from './maskUrlPasswords.js';
export { createSecretMask } from './createSecretMask.js';
// Tracing: the trace context a message carries, and the spans of publish and receipt.
export { pickTraceHeaders, withoutTraceHeaders } from './tracing/traceHeaders.js';
export { captureTraceContext } from './tracing/captureTraceContext.js';
export { traceBrokerBatch } from './tracing/traceBrokerBatch.js';
export type { BrokerBatchTraceInfo, EndBrokerBatchSpan } from './tracing/traceBrokerBatch.js';
export { runInProcessSpan, markActiveSpanDuplicate } from './tracing/runInProcessSpan.js';
export type { ProcessSpanInfo } from './tracing/runInProcessSpan.js';
// Event contracts: the body check the typed publisher and the consumers run.
export { validateEventBody } from './contract/validateEventBody.js';
