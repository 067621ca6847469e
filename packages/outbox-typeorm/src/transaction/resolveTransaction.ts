import type { DataSource, QueryRunner } from 'typeorm';
import { InvalidOptionError } from '@tx-outbox/outbox-core';
import type { TransactionSeam } from './TransactionSeam.js';

/** What {@link resolveTransaction} found across the configured seams. */
export type ResolvedTransaction =
  | { found: true; queryRunner: QueryRunner; seam: TransactionSeam }
  /** `ended`: a seam's transaction lost its connection. `none`: at least one seam answered and none holds one. `unavailable`: no seam could answer. */
  | { found: false; reason: 'ended'; seam: TransactionSeam }
  | { found: false; reason: 'none' | 'unavailable'; details: string[] };

/**
 * Asks every seam, in order, for the transaction active in the current async context: the first
 * that holds one wins. "None" is only reported when no seam holds one and at least one seam could
 * answer at all, so that an outbox never takes its own-transaction path beside a transaction it cannot see.
 * @example
 * ```ts
 * const current = resolveTransaction([clsTransactionSeam(txHost)]);
 * if (current.found) await current.queryRunner.query('SELECT 1');
 * ```
 */
export function resolveTransaction(seams: readonly TransactionSeam[]): ResolvedTransaction {
  let answered = false;
  const details: string[] = [];
  for (const seam of seams) {
    const lookup = seam.current();
    if (lookup.found) return { found: true, queryRunner: lookup.queryRunner, seam };
    if (lookup.reason === 'ended') return { found: false, reason: 'ended', seam };
    if (lookup.reason === 'none') answered = true;
    else details.push(`${seam.name}: ${lookup.detail ?? 'unavailable'}`);
  }
  // No seam at all (`transactions: []`): the caller passes every transaction, none can be hidden from us.
  return { found: false, reason: answered || seams.length === 0 ? 'none' : 'unavailable', details };
}

/** The `transactions` option as a list; the default is typeorm-transactional for `connectionName`. */
export function seamList(transactions: TransactionSeam | readonly TransactionSeam[] | undefined, fallback: () => TransactionSeam): readonly TransactionSeam[] {
  if (transactions === undefined) return [fallback()];
  return Array.isArray(transactions) ? transactions : [transactions as TransactionSeam];
}

/**
 * The DataSource to run an own transaction on: the one given, else the first a seam knows.
 * @throws InvalidOptionError naming `dataSource` when neither gives one.
 */
export function seamDataSource(given: DataSource | undefined, seams: readonly TransactionSeam[], connectionName: string): DataSource {
  const found = given ?? seams.map((seam) => seam.dataSource?.()).find(Boolean);
  if (!found) {
    throw new InvalidOptionError(
      'dataSource',
      `a DataSource, or one the transactions seam knows (registered with addTransactionalDataSource under the name "${connectionName}")`,
      given,
    );
  }
  return found;
}

/** @throws InvalidOptionError unless `transactions` is a seam or a list of them. */
export function checkSeams(transactions: unknown): void {
  if (transactions === undefined) return;
  const list = Array.isArray(transactions) ? transactions : [transactions];
  for (const seam of list) {
    if (!seam || typeof seam !== 'object' || typeof seam.current !== 'function' || typeof seam.run !== 'function') {
      throw new InvalidOptionError('transactions', 'a TransactionSeam (typeormTransactionalSeam(), clsTransactionSeam(txHost)) or a list of them', seam);
    }
  }
}
