// README (outbox-core), "Checking your own options": the options kit.

// #region options-kit
import { InvalidOptionError, checkDuration, checkInteger, expectedText } from '@tx-outbox/outbox-core';

// The checks and wording the relay, handleOnce, the stores and the sidecar use, for your own options.
const timeoutMs = checkDuration('timeoutMs', Number(process.env.BROKER_TIMEOUT_MS ?? 5_000), { min: 1, max: 60_000 });
const lanes = checkInteger('lanes', 4, { min: 1, max: 16 });
// expectedText('integer', { min: 1, max: 16 }) === 'an integer from 1 to 16'
try {
  checkInteger('lanes', 0, { min: 1, max: 16 });
} catch (error) {
  if (error instanceof InvalidOptionError) console.error(error.message, expectedText('integer', { min: 1, max: 16 }));
}
// #endregion options-kit

export const used: unknown[] = [timeoutMs, lanes];
