import type { DataSource, QueryRunner } from 'typeorm';
import { notifyStatement } from '../postgres/identifiers.js';
import { pgPoolOfDataSource } from '../postgres/SqlExecutor.js';
import { dataSourceOf } from '../transaction/dataSourceOf.js';
import { CommitWakeUp } from './CommitWakeUp.js';

/** The part of a TypeORM subscriber's commit and rollback events the wake-up reads. */
interface TransactionEvent {
  queryRunner: QueryRunner;
}

/** One DataSource's watcher: the transactions that wrote outbox rows, and a wake-up per channel. */
interface Watcher {
  /** Transactions (their QueryRunners) with rows to announce, by channel. */
  pending: WeakMap<QueryRunner, Set<string>>;
  wakeUps: Map<string, CommitWakeUp>;
}

const watchers = new WeakMap<DataSource, Watcher>();

/**
 * Arranges that the relays listening on `channel` are woken once the transaction of `queryRunner`
 * commits, and not at all if it rolls back. Works for every TypeORM transaction (typeorm-transactional's
 * `@Transactional()`, @nestjs-cls/transactional, `dataSource.transaction()`, a QueryRunner of yours):
 * one subscriber per DataSource receives TypeORM's commit and rollback events, and the wake-up goes out
 * on the DataSource's pool, outside the transaction (CommitWakeUp.ts). A transaction committed by
 * other means (raw `COMMIT` through `query()`) sends none: the relays find its rows on their poll.
 */
export function wakeUpOnCommit(queryRunner: QueryRunner, channel: string, onError: (error: unknown) => void): void {
  const watcher = watcherOf(dataSourceOf(queryRunner), channel, onError);
  const channels = watcher.pending.get(queryRunner);
  if (channels) channels.add(channel);
  else watcher.pending.set(queryRunner, new Set([channel]));
}

function watcherOf(dataSource: DataSource, channel: string, onError: (error: unknown) => void): Watcher {
  let watcher = watchers.get(dataSource);
  if (!watcher) {
    const created: Watcher = { pending: new WeakMap(), wakeUps: new Map() };
    watcher = created;
    watchers.set(dataSource, created);
    // Synchronous and returning nothing: TypeORM awaits a subscriber's promise before commit returns.
    dataSource.subscribers.push({
      afterTransactionCommit({ queryRunner }: TransactionEvent) {
        // A savepoint released inside the transaction is not the commit.
        if (queryRunner.isTransactionActive) return;
        const channels = created.pending.get(queryRunner);
        if (!channels) return;
        created.pending.delete(queryRunner);
        for (const c of channels) created.wakeUps.get(c)?.committed();
      },
      afterTransactionRollback({ queryRunner }: TransactionEvent) {
        if (!queryRunner.isTransactionActive) created.pending.delete(queryRunner);
      },
    });
  }
  if (!watcher.wakeUps.has(channel)) {
    const pool = () => pgPoolOfDataSource(dataSource);
    // A NOTIFY's transaction takes an xid, so with synchronous_commit on its commit waits for a disk
    // flush, holding PostgreSQL's instance-wide notification lock meanwhile. A wake-up is a hint (the
    // relays also poll): its own transaction commits without waiting for the flush.
    const statement = `BEGIN; SET LOCAL synchronous_commit TO off; ${notifyStatement(channel)}; COMMIT`;
    watcher.wakeUps.set(channel, new CommitWakeUp(() => pool().query(statement), onError));
  }
  return watcher;
}
