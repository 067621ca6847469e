import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import { type MessageSelection, selectionFilterParams, selectionFilterSql } from '../postgres/outboxStore/messageSelection.js';
import type { SeqRange } from './seqRangeOfSelection.js';

/**
 * How many sent messages match the selection: what a republish would publish again (its dry run).
 * Reads the `seq` range the selection's times narrow it to (seqRangeOfSelection.ts).
 *
 * $1..$7 the selection filter (ids, subject, prefix, since, until, group key, fingerprint), $8/$9 the seq
 * range [from, to).
 */
export async function countSent(db: SqlExecutor, table: string, selection: MessageSelection, range: SeqRange): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${table}
      WHERE sent_at IS NOT NULL AND ${selectionFilterSql(1)} AND seq >= $8::bigint AND seq < $9::bigint`,
    [...selectionFilterParams(selection), range.from.toString(), range.to.toString()],
  );
  return Number(rows[0]!.n);
}
