// Entry point `@tx-outbox/relay-sns/console`: the operator console as a Node request handler.
export { createOutboxConsoleHandler } from './createOutboxConsoleHandler.js';
export type { OutboxConsoleHandler } from './createOutboxConsoleHandler.js';
export type { OutboxConsoleOptions, ConsoleLogger } from './OutboxConsoleOptions.js';
export type { ConsoleToken } from './consoleAuth.js';
export { ConsoleInputError } from './ConsoleInputError.js';
