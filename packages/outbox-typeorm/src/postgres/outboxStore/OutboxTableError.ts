import { OutboxError } from '@tx-outbox/outbox-core';

/** What is wrong with the outbox table a store or relay was pointed at. */
export type OutboxTableProblem = 'missing' | 'legacy' | 'no-ordered-indexes';

const FIX: Record<OutboxTableProblem, string> = {
  missing:
    'it does not exist. Create it: run `outbox-relay migrate`, add createOutboxMigration() to your TypeORM migrations, or apply sql/outbox.sql',
  legacy:
    'it has the single-table layout of the 0.1 previews. Upgrade it online: stop the 0.1 relays, then run `outbox-relay migrate` ' +
    '(or add createOutboxUpgradeMigration() to your TypeORM migrations); the relay moves the old rows across by itself',
  'no-ordered-indexes':
    'an ordered relay needs its group indexes. Create them: run `outbox-relay migrate` with OUTBOX_ORDERED=true, or ' +
    'createOutboxMigration({ ordered: true })',
};

/** The outbox table is missing, of an old layout, or lacks what the relay's mode needs; the message says how to fix it. */
export class OutboxTableError extends OutboxError {
  readonly problem: OutboxTableProblem;
  readonly table: string;
  constructor(problem: OutboxTableProblem, table: string) {
    super(`The outbox table ${table} cannot be used: ${FIX[problem]}.`);
    this.name = 'OutboxTableError';
    this.problem = problem;
    this.table = table;
  }
}
