import { executorFromPg, executorFromQueryRunner, type PgQueryable, type QueryRunnerLike, type SqlExecutor } from '../postgres/SqlExecutor.js';

/**
 * The inbox's statements inside a handler's transaction, on the pg client of that transaction's
 * QueryRunner: the same connection and transaction, without TypeORM's per-query logging, timing and
 * subscriber events (the inbox record is the library's statement, not the application's; measured in
 * BENCHMARKS.md, consumer cost). A runner that holds no client yet goes through `queryRunner.query`.
 */
export function transactionExecutor(queryRunner: QueryRunnerLike): SqlExecutor {
  const client = queryRunner.databaseConnection as PgQueryable | undefined;
  if (client && typeof client.query === 'function' && !queryRunner.isReleased) return executorFromPg(client);
  return executorFromQueryRunner(queryRunner);
}
