import { v7 } from 'uuid';

/** A new outbox message id: a uuid v7, time-ordered, so ids sort roughly by creation. */
export function newMessageId(): string {
  return v7();
}
