import { quoteIdentifier, qualifiedTableName, type TableLocation } from '../identifiers.js';

export const DEFAULT_OUTBOX_TABLE = 'outbox';

/** The quoted names of an outbox table and of everything derived from its name. */
export interface OutboxNames {
  /** `"schema"."outbox"` (or `"outbox"`). */
  table: string;
  /** The table's name, unquoted (for catalog lookups). */
  tableName: string;
  /** The schema, unquoted, or undefined for the search_path. */
  schema: string | undefined;
  /** Slot `n`'s partition, quoted and schema-qualified. */
  slot(n: number): string;
  /** The identity sequence of `seq`. */
  seqSequence: string;
  /** The sequence holding the claim floor (see ClaimWatermark.ts). */
  floorSequence: string;
  /** The table 0.1 previews used, renamed by the upgrade until its rows are moved. */
  legacyTable: string;
  index: Record<'seq' | 'waiting' | 'dead' | 'group' | 'waitingGroup', string>;
}

/**
 * Names derived from the table name: `<table>_p<n>` (slots), `<table>_seq`, `<table>_floor`,
 * `<table>_legacy`, `<table>_<what>_idx`. Each must itself be a plain identifier, so a table name
 * longer than 45 characters is refused.
 * @throws InvalidIdentifierError
 */
export function outboxNames(location: TableLocation = {}): OutboxNames {
  const tableName = location.tableName ?? DEFAULT_OUTBOX_TABLE;
  const table = qualifiedTableName(location, DEFAULT_OUTBOX_TABLE);
  const prefix = location.schema === undefined ? '' : `${quoteIdentifier('schema name', location.schema)}.`;
  const derived = (suffix: string) => quoteIdentifier('name derived from the table name', `${tableName}_${suffix}`);
  const qualified = (suffix: string) => `${prefix}${derived(suffix)}`;
  const index = {
    seq: derived('seq_idx'),
    waiting: derived('waiting_idx'),
    dead: derived('dead_idx'),
    group: derived('group_idx'),
    waitingGroup: derived('waiting_group_idx'),
  };
  return {
    table,
    tableName,
    schema: location.schema,
    slot: (n) => qualified(`p${n}`),
    seqSequence: qualified('seq'),
    floorSequence: qualified('floor'),
    legacyTable: qualified('legacy'),
    index,
  };
}
