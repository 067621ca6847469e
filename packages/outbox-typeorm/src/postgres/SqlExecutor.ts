/**
 * The seam between the stores and whatever holds the connection: one method, `query(text, values)`.
 * Structural on purpose, so a pg `Pool`, a pg `Client`, a TypeORM `DataSource` or `QueryRunner`
 * can all be adapted without this package importing a second copy of pg or typeorm.
 */
export interface SqlExecutor {
  /**
   * Runs one statement. With `options.name` the adapter may run it as a named prepared statement
   * (planned once per connection): the publisher's insert spends more time being planned than run.
   */
  query<Row = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
    options?: { name?: string },
  ): Promise<{ rows: Row[]; rowCount: number }>;
}

/** A pg query config: `{ name }` makes pg prepare the statement once per connection. */
interface PgQueryConfig {
  name?: string;
  text: string;
  values?: unknown[];
}

/** What a pg `Pool` or `Client` looks like to us. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
  query(config: PgQueryConfig): Promise<{ rows: any[]; rowCount: number | null }>;
}

/** Adapts a pg `Pool` or `Client`. */
export function executorFromPg(pg: PgQueryable): SqlExecutor {
  return {
    async query(text, values, options) {
      const result = options?.name
        ? await pg.query({ name: options.name, text, values: values as unknown[] | undefined })
        : await pg.query(text, values as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
  };
}

/** What a TypeORM `QueryRunner` looks like to us: with `useStructuredResult` it returns `{ records, affected }`. */
export interface QueryRunnerLike {
  query(query: string, parameters?: any[], useStructuredResult?: boolean): Promise<any>;
  /** The postgres driver's connection: the pg client the transaction runs on. */
  readonly databaseConnection?: unknown;
  readonly isReleased?: boolean;
}

/**
 * Adapts a TypeORM `QueryRunner` (e.g. the one typeorm-transactional holds for the current transaction).
 * A named statement goes straight to the runner's pg client, the connection of the very same
 * transaction, since TypeORM cannot prepare statements; it then skips TypeORM's query logging.
 */
export function executorFromQueryRunner(queryRunner: QueryRunnerLike): SqlExecutor {
  return {
    async query(text, values, options) {
      const client = queryRunner.databaseConnection as PgQueryable | undefined;
      if (options?.name && client && typeof client.query === 'function' && !queryRunner.isReleased) {
        const result = await client.query({ name: options.name, text, values: values as unknown[] | undefined });
        return { rows: result.rows, rowCount: result.rowCount ?? 0 };
      }
      const result = await queryRunner.query(text, values as unknown[] | undefined, true);
      return { rows: result.records ?? [], rowCount: result.affected ?? (result.records?.length ?? 0) };
    },
  };
}

/** What a TypeORM `DataSource` on the postgres driver looks like to us: its driver holds a pg `Pool`. */
export interface DataSourceLike {
  options: { type: string };
  driver: unknown;
}

/**
 * The pg `Pool` behind a TypeORM `DataSource` (postgres driver). The stores run their own short
 * statements on it, outside any business transaction.
 */
export function pgPoolOfDataSource(dataSource: DataSourceLike): PgQueryable & { connect(): Promise<any> } {
  const master = (dataSource.driver as { master?: unknown }).master;
  if (dataSource.options.type !== 'postgres' || !master) {
    throw new TypeError(
      `tx-outbox needs a PostgreSQL DataSource (type "postgres") that is initialized; got type "${dataSource.options.type}"` +
        (master ? '' : ' with no connection pool (call dataSource.initialize() first)') + '.',
    );
  }
  return master as PgQueryable & { connect(): Promise<any> };
}
