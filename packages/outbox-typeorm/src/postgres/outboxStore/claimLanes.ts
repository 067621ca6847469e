/**
 * The two lanes every claim reads, as `SELECT`s for its `due` and `fresh` CTEs (claimMessages.ts,
 * claimOrderedMessages.ts), so that the rule of what each lane may take lives in one place.
 *
 * - due: waiting rows whose time has come and whose lease (if any) ran out, oldest due first, on the
 *   waiting index; `$3` their limit.
 * - fresh: rows above the watermark (`$4`) that never waited and are not leased, in `seq` order, on the
 *   seq index; `limit` is the caller's SQL expression.
 *
 * Both lock what they take and skip what another claim holds.
 */
export function dueLane(table: string, columns: string): string {
  return `SELECT ${columns}
         FROM ${table} AS o
        WHERE o.available_at <= now() AND o.sent_at IS NULL AND o.dead_at IS NULL
          AND (o.locked_until IS NULL OR o.locked_until < now())
        ORDER BY o.available_at, o.seq
        LIMIT $3
          FOR UPDATE OF o SKIP LOCKED`;
}

/** See {@link dueLane}. */
export function freshLane(table: string, columns: string, limit: string): string {
  return `SELECT ${columns}
         FROM ${table} AS o
        WHERE o.seq > $4::bigint AND o.available_at IS NULL AND o.locked_by IS NULL
          AND o.sent_at IS NULL AND o.dead_at IS NULL
        ORDER BY o.seq
        LIMIT ${limit}
          FOR UPDATE OF o SKIP LOCKED`;
}
