import type pg from 'pg';

/** What the outbox takes on disk at a moment, whatever its layout. */
export interface StorageSize {
  /** Heap + indexes + TOAST of the table and of every partition or child table under it. */
  outboxBytes: number;
  /** The same for every table in the database (the scenario's own: the outbox and whatever the store keeps beside it). */
  databaseTablesBytes: number;
  /** Dead tuples in the table and its partitions or children (pg_stat_user_tables, flushed about once a second). */
  deadTuples: number;
}

/**
 * `pg_total_relation_size` summed over the table's inheritance tree (pg_inherits holds both
 * declarative partitions and inheritance children; a partitioned parent itself is 0), and over every
 * ordinary table of the current database.
 * $1 text  the table's (quoted) name, as `regclass` reads it
 */
export async function storageSize(pool: pg.Pool, table: string): Promise<StorageSize> {
  const { rows } = await pool.query<StorageSize>(
    `WITH RECURSIVE tree AS (
       SELECT $1::regclass::oid AS relid
       UNION
       SELECT i.inhrelid FROM pg_inherits i JOIN tree t ON i.inhparent = t.relid
     )
     SELECT (SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM tree)::float8 AS "outboxBytes",
            (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%')::float8 AS "databaseTablesBytes",
            (SELECT coalesce(sum(s.n_dead_tup), 0) FROM pg_stat_user_tables s JOIN tree t ON s.relid = t.relid)::float8 AS "deadTuples"`,
    [table],
  );
  return rows[0]!;
}
