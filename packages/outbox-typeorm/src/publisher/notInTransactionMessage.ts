import type { TransactionSeam } from '../transaction/TransactionSeam.js';

/** How to set up each shipped library, for a call that found it unavailable. */
const SETUP: Record<string, string> = {
  'typeorm-transactional':
    'typeorm-transactional: call initializeTransactionalContext() at startup and register the DataSource ' +
    '(createTransactionalDataSource as TypeOrmModule\'s dataSourceFactory, or addTransactionalDataSource(dataSource))',
  '@nestjs-cls/transactional': '@nestjs-cls/transactional: register ClsPluginTransactional with the TypeORM adapter (TransactionalAdapterTypeOrm)',
};

/**
 * The message of OutboxNotInTransactionError, in the terms of what the outbox was configured with: the
 * seams it asks (typeorm-transactional, @nestjs-cls/transactional, your own), or none (every call passes
 * `{ manager }`). `unavailable` lists what each seam said when none could answer at all.
 */
export function notInTransactionMessage(seams: readonly TransactionSeam[], unavailable?: readonly string[]): string {
  const explicitly = 'pass the transaction explicitly: dataSource.transaction((manager) => outbox.sendEvent(event, { manager }))';
  if (seams.length === 0) {
    return `outbox.sendEvent() was given no transaction, and this outbox asks no transaction library (transactions: []): ${explicitly}.`;
  }
  if (unavailable) {
    const setup = seams.map((seam) => SETUP[seam.name] ?? `${seam.name}: set it up`).join('; ');
    const other = seams.some((seam) => seam.name === 'typeorm-transactional') && !seams.some((seam) => seam.name === '@nestjs-cls/transactional')
      ? ' With @nestjs-cls/transactional instead, give the outbox its seam (OutboxModule.forRoot({ clsTransactionHost: TransactionHost }), or transactions: clsTransactionSeam(txHost)).'
      : '';
    return `outbox.sendEvent() found no transaction: ${unavailable.join('; ')}. Set up ${setup}, or ${explicitly}.${other}`;
  }
  const opened = seams.map((seam) => seam.hint ?? `a transaction of ${seam.name}`).join(', or from ');
  return (
    'outbox.sendEvent() was called outside a transaction, so the message could not be committed together with your ' +
    `business writes. Call it from ${opened}; or ${explicitly}; or pass { allowOutsideTransaction: true } to let the outbox run its own short transaction.`
  );
}
