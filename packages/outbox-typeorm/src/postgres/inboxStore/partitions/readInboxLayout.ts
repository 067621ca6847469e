import type { SqlExecutor } from '../../SqlExecutor.js';

/** What the catalog says about an inbox table, and the database's current UTC day. */
export interface InboxLayout {
  /** `partitioned` (the current layout), `plain` (the layout before, not migrated yet) or `missing`. */
  kind: 'partitioned' | 'plain' | 'missing';
  /** UTC midnight of the database's today, and its now, epoch ms: the one clock partitions are cut by. */
  todayMs: number;
  nowMs: number;
  /** The partitions (unquoted names) with the planner's row estimate (-1: never analyzed). */
  partitions: Array<{ name: string; isDefault: boolean; estimatedRows: number }>;
  /** Exclusion constraints of days on the default partition (excludeDayFromDefault), by name. */
  exclusions: string[];
}

/**
 * Reads the layout of the inbox table. Nothing here scans a table.
 *
 * $1 the table (quoted, schema-qualified text, as to_regclass takes it).
 */
export async function readInboxLayout(db: SqlExecutor, table: string): Promise<InboxLayout> {
  const { rows } = await db.query<{ kind: string | null; today_ms: number; now_ms: number; partitions: Array<{ name: string; bound: string; estimated_rows: number }>; exclusions: string[] }>(
    `SELECT c.relkind::text AS kind,
            (extract(epoch FROM date_trunc('day', now() AT TIME ZONE 'UTC')) * 1000)::float8 AS today_ms,
            (extract(epoch FROM now()) * 1000)::float8 AS now_ms,
            coalesce((SELECT json_agg(json_build_object('name', p.relname, 'bound', pg_get_expr(p.relpartbound, p.oid), 'estimated_rows', p.reltuples))
                        FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid WHERE i.inhparent = c.oid), '[]') AS partitions,
            coalesce((SELECT json_agg(k.conname) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid JOIN pg_constraint k ON k.conrelid = p.oid
                       WHERE i.inhparent = c.oid AND pg_get_expr(p.relpartbound, p.oid) = 'DEFAULT' AND k.conname LIKE 'tx\\_outbox\\_not\\_p%'), '[]') AS exclusions
       FROM (SELECT to_regclass($1) AS oid) t LEFT JOIN pg_class c ON c.oid = t.oid`,
    [table],
  );
  const row = rows[0]!;
  return {
    kind: row.kind === 'p' ? 'partitioned' : row.kind === 'r' ? 'plain' : 'missing',
    todayMs: row.today_ms,
    nowMs: row.now_ms,
    partitions: row.partitions.map((p) => ({ name: p.name, isDefault: p.bound === 'DEFAULT', estimatedRows: p.estimated_rows })),
    exclusions: row.exclusions,
  };
}
