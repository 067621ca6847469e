import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { type OutboxLayoutOptions, outboxTableDdl, qualifiedTableName } from '@tx-outbox/outbox-typeorm/internal';
import type { BenchContext } from './BenchContext.js';

/** A scenario's own database with a pool; `close()` ends the pool and drops the database. */
export interface BenchDatabase {
  url: string;
  pool: pg.Pool;
  /** Creates an outbox table (the library's DDL) and returns its quoted name. */
  createOutbox(tableName?: string, layout?: OutboxLayoutOptions): Promise<string>;
  close(): Promise<void>;
}

export async function openBenchDatabase(ctx: BenchContext, prefix: string, poolSize = 20): Promise<BenchDatabase> {
  const db: TestDatabase = await createTestDatabase(ctx.adminUrl, `bench_${prefix}`);
  const pool = new pg.Pool({ connectionString: db.url, max: poolSize });
  return {
    url: db.url,
    pool,
    async createOutbox(tableName = 'outbox', layout: OutboxLayoutOptions = {}) {
      for (const statement of outboxTableDdl({ tableName, ...layout })) await pool.query(statement);
      return qualifiedTableName({ tableName }, 'outbox');
    },
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}
