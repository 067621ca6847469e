import type { DataSource, QueryRunner } from 'typeorm';

/** The DataSource of a QueryRunner: `.dataSource` on TypeORM 1.x, `.connection` on 0.3.x (deprecated in 1.x). */
export function dataSourceOf(queryRunner: QueryRunner): DataSource {
  return (queryRunner as QueryRunner & { dataSource?: DataSource }).dataSource ?? queryRunner.connection;
}
