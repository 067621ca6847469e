import { InvalidFifoIdError } from '../errors.js';
import { FIFO_ID_RULE, fifoIdProblem } from './fifoId.js';

/**
 * `groupKey` becomes the FIFO `MessageGroupId` and `dedupId` the `MessageDeduplicationId`; a value SNS/SQS
 * refuse is refused here, whatever the route (it may be FIFO later).
 *
 * @throws InvalidFifoIdError naming the field.
 */
export function checkFifoId(field: 'groupKey' | 'dedupId', value: unknown, subject: string): string | null {
  if (value === undefined || value === null) return null;
  const problem = typeof value === 'string' ? fifoIdProblem(value) : `is a ${typeof value}, not a string`;
  if (problem !== undefined) {
    throw new InvalidFifoIdError(field, `${field} ${problem}: it must be ${FIFO_ID_RULE}.`, { subject });
  }
  return value as string;
}
