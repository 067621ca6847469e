import { InvalidSubjectError } from '../errors.js';
import { FIFO_ID_RULE, fifoIdProblem } from './fifoId.js';

/**
 * The subject is published as the `subject` attribute and, on a FIFO route, becomes the
 * `MessageGroupId` of a message without `groupKey`. Whether a route is FIFO is decided by the relay's
 * configuration, which may change after commit, so every subject must be a valid FIFO group id.
 *
 * @throws InvalidSubjectError
 */
export function checkSubject(subject: unknown): string {
  if (typeof subject !== 'string') {
    throw new InvalidSubjectError(`Message subject must be a string (e.g. "payment.created"), got ${typeof subject}.`);
  }
  const problem = fifoIdProblem(subject);
  if (problem !== undefined) {
    throw new InvalidSubjectError(
      `Message subject ${JSON.stringify(subject.slice(0, 140))} ${problem}: a subject must be ${FIFO_ID_RULE}, ` +
        'because it becomes the MessageGroupId on a FIFO route when there is no groupKey. Use a routing key such as "payment.created".',
      { subject },
    );
  }
  return subject;
}
