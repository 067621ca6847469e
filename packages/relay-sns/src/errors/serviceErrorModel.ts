import * as sns from '@aws-sdk/client-sns';
import * as sqs from '@aws-sdk/client-sqs';

/** What the SNS/SQS service models say about one error code. */
export interface ModeledError {
  /** The exception's shape name, e.g. `ThrottledException`, `KmsThrottled`. */
  name: string;
  /** The HTTP status the service answers it with. */
  httpStatus: number | undefined;
  /** `server` for a fault on AWS's side, `client` for one on the caller's. */
  fault: 'client' | 'server' | undefined;
}

/** The SDK's error schema tuple: `[-3, namespace, shapeName, traits, …]` (smithy schema kind -3 = error). */
type ErrorSchema = [number, string, string, { awsQueryError?: [string, number]; error?: string; httpError?: number }];

/**
 * Every error the SNS and SQS service models declare, looked up by the code AWS puts in a failed
 * batch entry's `Code` (the query protocol code, e.g. `Throttled`, `KMS.ThrottlingException`) and by
 * the exception name the SDK throws (e.g. `ThrottledException`, `KmsThrottled`).
 *
 * Read from the error schemas the AWS SDK clients export, so a code AWS adds arrives with an SDK
 * update instead of a hand-kept list. If a future SDK changes the schema format the map is empty and
 * classification falls back to names and HTTP statuses (the classifier tests would fail first).
 */
export const SERVICE_ERRORS: ReadonlyMap<string, ModeledError> = (() => {
  const map = new Map<string, ModeledError>();
  for (const value of [...Object.values(sns), ...Object.values(sqs)]) {
    if (!Array.isArray(value) || value[0] !== -3 || typeof value[2] !== 'string') continue;
    const [, , name, traits] = value as unknown as ErrorSchema;
    const fault = traits?.error === 'server' || traits?.error === 'client' ? traits.error : undefined;
    const modeled: ModeledError = { name, httpStatus: traits?.awsQueryError?.[1] ?? traits?.httpError, fault };
    map.set(name, modeled);
    if (traits?.awsQueryError?.[0]) map.set(traits.awsQueryError[0], modeled);
  }
  return map;
})();
