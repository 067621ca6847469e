export { pinoRelayLogger } from './pinoRelayLogger.js';
export type { PinoLike } from './pinoRelayLogger.js';
export { nestRelayLogger } from './nestRelayLogger.js';
export type { NestLoggerLike } from './nestRelayLogger.js';
