// AWS's answers the fault suite replays through the relays' endpoint proxy, in SNS's wire form (query
// protocol XML), each with where it was recorded. The relay-sns tests replay the same answers
// (packages/relay-sns/test/fixtures/awsAnswers.ts).
import type { ReplayedAnswer } from './EndpointProxy.js';

const snsError = (status: number, code: string, message: string, requestId: string): Omit<ReplayedAnswer, 'matches'> => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body: `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${message}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
});

/**
 * A topic ARN of another region than the endpoint's: `400 InvalidParameter` "Invalid parameter: TopicArn".
 * Sources: https://github.com/boto/boto3/issues/646 (code, message, cause); the document as in
 * https://github.com/ex-aws/ex_aws/issues/402.
 */
export const TOPIC_OF_ANOTHER_REGION = snsError(400, 'InvalidParameter', 'Invalid parameter: TopicArn', 'e32df0c3-7e41-50cc-bb21-a1492e54b12b');

/**
 * An access key that no longer exists (deleted, or a session revoked): `403 InvalidClientTokenId`.
 * Sources: https://github.com/laravel-notification-channels/aws-sns/issues/31 (SNS, 403, the document) and
 * https://github.com/aws/aws-sdk-js/issues/1919 (code, message, status 403).
 */
export const CREDENTIALS_REMOVED = snsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.', '7fbcf4f5-d4f3-5a6e-babb-a600db68c2d1');
