import { createRequire } from 'node:module';
import type * as Api from 'typeorm-transactional';
import { loadTransactionalInternals } from './loadTransactionalInternals.js';

const require = createRequire(import.meta.url);

/**
 * How far typeorm-transactional is set up for a DataSource name: `not-installed`, `not-initialized`
 * (`initializeTransactionalContext()` was not called), `not-registered` (no DataSource was added under
 * the name) or `ready`. Read at startup, so a missing step is named before the first `sendEvent`.
 * @throws UnsupportedTypeormTransactionalError when an unsupported version is installed.
 */
export function typeormTransactionalState(connectionName: string): 'not-installed' | 'not-initialized' | 'not-registered' | 'ready' {
  let api: Pick<typeof Api, 'getDataSourceByName'>;
  try {
    api = require('typeorm-transactional') as typeof api;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') return 'not-installed';
    throw error;
  }
  try {
    loadTransactionalInternals().getTransactionalContext();
  } catch (error) {
    if ((error as Error)?.name === 'UnsupportedTypeormTransactionalError') throw error;
    return 'not-initialized';
  }
  return api.getDataSourceByName(connectionName) ? 'ready' : 'not-registered';
}
