import type { ContractBody, ContractSubject, EventContract } from '@tx-outbox/outbox-core';
import type { ConsumedMessage } from './ConsumedMessage.js';

/** A received message of subject `S`, its body typed (and, with a schema, checked) by the contract. */
export type TypedConsumedMessage<C extends EventContract, S extends ContractSubject<C>> = Omit<ConsumedMessage, 'subject' | 'body'> & {
  subject: S;
  body: ContractBody<C, S>;
};
