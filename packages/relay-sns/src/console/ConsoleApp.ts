import type { OutboxAdmin } from '@tx-outbox/outbox-typeorm/postgres';
import type { OutboxInspector } from '@tx-outbox/outbox-typeorm/internal';
import type { ConsoleAuth } from './consoleAuth.js';
import type { ConsoleAssets } from './consoleAssets.js';
import type { OutboxConsoleOptions } from './OutboxConsoleOptions.js';
import type { ConsoleMetrics } from './registerConsoleMetrics.js';

/** What one console handler holds: its options, the admin and inspector it reads and acts through, its auth, assets and metrics. */
export interface ConsoleApp {
  options: OutboxConsoleOptions;
  base: string;
  writes: boolean;
  admin: OutboxAdmin;
  inspector: OutboxInspector;
  auth: ConsoleAuth;
  assets: ConsoleAssets;
  metrics: ConsoleMetrics | undefined;
  confirmAbove: number;
}
