// README: the relay's logger adapters for pino and NestJS.
import { Logger } from '@nestjs/common';
import { Relay, nestRelayLogger, pinoRelayLogger, type OutboxStore, type Transport } from '@tx-outbox/outbox-core';
import { pino } from 'pino';

export function relays(store: OutboxStore, transport: Transport): Relay[] {
  // #region loggers
  // pino takes (object, message): the adapter swaps them and puts `error` under pino's `err`.
  const withPino = new Relay({ store, transport, logger: pinoRelayLogger(pino()) });
  // Nest's second argument is a context name: the adapter logs one object { message, ...context }.
  const withNest = new Relay({ store, transport, logger: nestRelayLogger(new Logger('OutboxRelay')) });
  // console fits as it is: consoleRelayLogger (the default) passes the context as the second argument.
  // #endregion loggers
  return [withPino, withNest];
}
