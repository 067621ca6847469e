import { checkInteger } from '@tx-outbox/outbox-core/internal';
import type { TableLocation } from '../identifiers.js';
import { poolSource } from '../poolSource.js';
import type { DataSourceLike, PgQueryable } from '../SqlExecutor.js';
import { type OutboxNames, outboxNames } from '../schema/outboxNames.js';
import { OutboxTableError } from '../outboxStore/OutboxTableError.js';
import { readFloor } from '../outboxStore/readFloor.js';
import { dropLegacyTable } from './dropLegacyTable.js';
import { moveLegacyRows } from './moveLegacyRows.js';
import { moveSlotRows } from './moveSlotRows.js';
import { readOutboxLayout } from './readOutboxLayout.js';
import { readSlotStates } from './readSlotStates.js';
import { truncateSlot } from './truncateSlot.js';

/** What a pg `Pool` looks like to maintenance: queries, plus `connect()` for the TRUNCATE's transaction. */
export interface MaintenancePoolLike extends PgQueryable {
  connect(): Promise<PgQueryable & { release(error?: Error | boolean): void }>;
}

/** Options of {@link OutboxMaintenance}. Give exactly one of `pool` and `dataSource`. */
export interface OutboxMaintenanceOptions extends TableLocation {
  pool?: MaintenancePoolLike;
  dataSource?: DataSourceLike;
  /** Rows per statement when rows are moved (out of a slot to be emptied, or out of the 0.1 table). @defaultValue 1000 */
  batchSize?: number;
  /** Batches one {@link OutboxMaintenance.run} moves at most, so a run stays short. @defaultValue 50 */
  maxBatchesPerRun?: number;
}

/** What one run did. */
export interface MaintenanceResult {
  /** Slots emptied (TRUNCATE). */
  emptiedSlots: number[];
  /** Slots that were due but a reader held them (its lock timed out): retried on the next run. */
  busySlots: number[];
  /** Unfinished rows moved out of a slot about to be emptied. */
  movedRows: number;
  /** Rows moved from the 0.1 table; and whether it was dropped, now empty. */
  legacyRowsMoved: number;
  legacyDropped: boolean;
}

/**
 * The outbox table's upkeep, run every minute or so by the `outbox-relay` sidecar (and the Nest relay
 * module): retention, which empties each slot whose rows are all older than the table's retention with
 * TRUNCATE (the unfinished rows it holds — dead letters, messages still waiting — move to the current
 * slot first), and, after an upgrade from 0.1, the move of the old table's rows. It writes no dead
 * tuples into the table the relays claim from, and holds no lock for longer than a batch.
 *
 * @example
 * ```ts
 * const maintenance = new OutboxMaintenance({ pool });
 * setInterval(() => void maintenance.run().catch((error) => log.warn({ error }, 'outbox maintenance failed')), 60_000);
 * ```
 */
export class OutboxMaintenance {
  readonly #names: OutboxNames;
  readonly #source: ReturnType<typeof poolSource<MaintenancePoolLike>>;
  readonly #batchSize: number;
  readonly #maxBatches: number;

  /** @throws InvalidOptionError, InvalidIdentifierError */
  constructor(options: OutboxMaintenanceOptions) {
    this.#names = outboxNames(options);
    this.#source = poolSource(options, { pool: 'a pg Pool (with query() and connect())', needsConnect: true });
    this.#batchSize = checkInteger('batchSize', options.batchSize ?? 1000, { min: 1 });
    this.#maxBatches = checkInteger('maxBatchesPerRun', options.maxBatchesPerRun ?? 50, { min: 1 });
  }

  /**
   * One pass: moves old rows and empties the slots that are due.
   * @throws OutboxTableError when the table is missing or of the 0.1 layout; a database error as is.
   */
  async run(): Promise<MaintenanceResult> {
    const db = this.#source.db;
    const names = this.#names;
    const found = await readOutboxLayout(db, names);
    if (found.kind !== 'slotted') throw new OutboxTableError(found.kind, names.table);
    const result: MaintenanceResult = { emptiedSlots: [], busySlots: [], movedRows: 0, legacyRowsMoved: 0, legacyDropped: false };
    let batches = 0;
    if (found.legacyRows) {
      for (; batches < this.#maxBatches; batches++) {
        const moved = await moveLegacyRows(db, names, this.#batchSize);
        result.legacyRowsMoved += moved;
        if (moved === 0) {
          result.legacyDropped = await dropLegacyTable(db, names);
          break;
        }
      }
    }
    const { layout } = found;
    if (layout.retentionMs === 0) return result;
    const floor = await readFloor(db, names.floorSequence);
    for (const slot of await readSlotStates(db, names, layout, floor)) {
      if (slot.current || !slot.old) continue;
      let moved = this.#batchSize;
      while (slot.unfinished && moved === this.#batchSize && batches++ < this.#maxBatches) {
        moved = await moveSlotRows(db, names, layout, slot.slot, floor, this.#batchSize);
        result.movedRows += moved;
      }
      const client = await this.#source.pool().connect();
      try {
        const outcome = await truncateSlot(client, names, layout, slot.slot, floor);
        if (outcome === 'emptied') result.emptiedSlots.push(slot.slot);
      } catch (error) {
        if ((error as { code?: string }).code !== '55P03') throw error;
        result.busySlots.push(slot.slot);
      } finally {
        client.release();
      }
    }
    return result;
  }
}
