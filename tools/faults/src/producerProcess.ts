// Child process: the producer service. argv[2] is a ProducerConfig as JSON. Each transaction inserts
// an order row and sends its event through TransactionalOutbox; a fixed share is rolled back after
// sendEvent. It prints one ChildEvent per transaction. stdin commands: `pause`, `resume`, and
// `new-subject` (from then on every other event has the subject a rolling deploy introduces), and
// `finish`: it stops once it has committed `commits` and got `finish`, so traffic flows until every
// fault is placed, however long the faults before it took.
import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { Transactional } from 'typeorm-transactional';
import type { DataSource } from 'typeorm';
import { TransactionalOutbox } from '@tx-outbox/outbox-typeorm';
import { INSERT_ORDER } from './businessTables.js';
import { emit } from './childEvents.js';
import { NEW_SUBJECT, ORDER_SUBJECT, isRolledBack } from './names.js';
import { openDataSource } from './openDataSource.js';
import { onStdinCommand } from './stdinCommands.js';

export interface ProducerConfig {
  databaseUrl: string;
  commits: number;
  rollbackRatio: number;
  /** Pause between two transactions. */
  intervalMs: number;
}

/** Thrown inside a transaction to roll it back after sendEvent, as a failing business rule would. */
class IntentionalRollback extends Error {
  override name = 'IntentionalRollback';
}

class OrderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: TransactionalOutbox,
  ) {}

  @Transactional()
  async placeOrder(ref: string, rollBack: boolean, subject: string): Promise<void> {
    await this.dataSource.query(INSERT_ORDER, [ref]);
    await this.outbox.sendEvent({ subject, body: { ref } });
    if (rollBack) throw new IntentionalRollback(`order ${ref} rolled back on purpose`);
  }
}

const config = JSON.parse(process.argv[2]!) as ProducerConfig;
const dataSource = await openDataSource(config.databaseUrl, 4);
const service = new OrderService(dataSource, new TransactionalOutbox());

let paused = false;
let newSubject = false;
let finish = false;
let resume: (() => void) | undefined;
onStdinCommand((command) => {
  if (command === 'pause') paused = true;
  if (command === 'new-subject') newSubject = true;
  if (command === 'finish') finish = true;
  if (command === 'resume') {
    paused = false;
    resume?.();
  }
});

emit({ ev: 'ready' });
let committed = 0;
let rolledBack = 0;
let failed = 0;
for (let n = 0; committed < config.commits || !finish; n++) {
  if (paused) {
    emit({ ev: 'paused' });
    await new Promise<void>((resolve) => (resume = resolve));
  }
  const ref = `o-${String(n).padStart(6, '0')}`;
  const rollBack = isRolledBack(n, config.rollbackRatio);
  try {
    await service.placeOrder(ref, rollBack, newSubject && n % 2 === 0 ? NEW_SUBJECT : ORDER_SUBJECT);
    committed++;
    emit({ ev: 'committed', ref });
  } catch (error) {
    if ((error as Error).name === 'IntentionalRollback') {
      rolledBack++;
      emit({ ev: 'rolled-back', ref });
    } else {
      // E.g. PostgreSQL restarting: the outcome of a failed COMMIT is unknown; the orders table says.
      failed++;
      emit({ ev: 'failed', ref, error: `${(error as Error).name}: ${(error as Error).message}` });
      await sleep(200);
    }
  }
  await sleep(config.intervalMs);
}
emit({ ev: 'done', committed, rolledBack, failed });
await dataSource.destroy();
process.exit(0);
