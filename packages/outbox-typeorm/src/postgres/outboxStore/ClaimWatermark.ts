/*
 * The claim's watermarks. A claim must never walk what it has already passed: under a held xmin
 * horizon (a long query, pg_dump, a replica's hot_standby_feedback) every row the relay claimed and
 * marked leaves index entries that cannot be cleaned up, and a claim that starts from the lowest
 * pending `seq` reads all of them (docs/decisions/0001-outbox-storage.md: 1 ms → 80 ms in a minute).
 *
 *   low     the claim takes rows that never waited (`available_at IS NULL`) with `seq > low` only.
 *   floor   every row with `seq <= floor` is finished (sent, dead) or waiting, and the `waiting` index
 *           finds those. Persisted in the `<table>_floor` sequence (no row, no bloat), so a relay that
 *           starts reads it instead of walking the table's history.
 *   near    like floor, except for rows of transactions that have been open a long time (below).
 *
 * A `seq` may only be passed once no transaction that could still insert it is running, or a row
 * committed late (a producer transaction that drew its `seq` and then ran on) would lie behind the
 * marks unseen. Each claim reads the sequence's high-water mark `hw` and its snapshot. A `seq` at or
 * below `hw` (read during claim i) was drawn before the snapshot of any claim issued after claim i
 * returned, by a transaction whose id is below that snapshot's `xmax` (the table's `xid` column is
 * evaluated before `seq`, so a transaction has its id before it draws one). Once a later snapshot's
 * `xmin` reaches that `xmax`, those transactions have all ended: `hw` is settled, and every row up to it
 * is visible to that snapshot. Claims run concurrently, so each pairs only with the ones that returned
 * before it was issued, and moves `low` only as far as its own snapshot proves.
 *
 * A transaction open for longer than {@link LONG_TRANSACTION_MS} (a batch job, a session idle in a
 * transaction) would hold every mark back, and each claim would walk everything written since. So
 * `low` and `near` pass it: its rows, should it have written any, are found by the deep sweep of
 * `(floor, near]` that runs as soon as it ends (its id leaves the snapshot), and every
 * {@link DEEP_SWEEP_INTERVAL_MS} while it lasts. Only `floor` waits for it.
 *
 * Between `near` and `low` lie the rows claimed but not yet marked (the leases in flight). The sweep
 * (sweepBehindWatermark.ts) walks just that span, now and then: a row there that is neither leased nor
 * finished (its lease expired, or a claim that locked it failed) goes to the waiting lane.
 */

/** A transaction open this long no longer holds `low` back (see above). */
export const LONG_TRANSACTION_MS = 2_000;
/** While a long transaction holds the floor back, the span it holds is swept this often. */
export const DEEP_SWEEP_INTERVAL_MS = 30_000;
/** Checkpoints kept at most (each is a claim's high-water mark waiting to settle). */
const MAX_CHECKPOINTS = 10_000;

/** What one claim statement reports besides its rows. */
export interface ClaimObservation {
  /** The `seq` sequence's last value, read during the claim. */
  hw: bigint;
  /** `pg_current_snapshot()` of the claim, as text (`xmin:xmax:xip,…`). */
  snapshot: string;
  /**
   * How far `low` may move for this claim's sake: up to the last row it walked above `low` when it
   * walked as many as it asked for (more may lie beyond), or to just below a row it left there
   * (ordered mode). `undefined`: it walked every row above `low` it could see.
   */
  reach: bigint | undefined;
}

/** A span to sweep: `(from, to]`, and how far the mark behind it may then rise at most. */
export interface SweepSpan {
  from: bigint;
  to: bigint;
  /** The highest value the mark may take after the sweep (it stops below a row still leased). */
  cap: bigint;
}

interface Snapshot {
  xmin: bigint;
  xmax: bigint;
  running: bigint[];
}

/** A claim's high-water mark, settled once a snapshot has no running transaction below `xmax`. */
interface Checkpoint {
  hw: bigint;
  xmax: bigint;
}

/** One store's watermarks (one per relay); see the comment at the top. */
export class ClaimWatermark {
  #low = 0n;
  #near = 0n;
  #floor = 0n;
  #started = false;
  #completed = 0;
  /** High-water marks of claims not yet paired with a later snapshot, with their completion number. */
  #unpaired: { hw: bigint; completion: number }[] = [];
  #checkpoints: Checkpoint[] = [];
  /** Highest settled marks: ignoring long transactions, and strictly. */
  #settledNear = 0n;
  #settledStrict = 0n;
  /** When each running transaction id was first seen in a claim's snapshot (process clock, ms). */
  readonly #firstSeen = new Map<bigint, number>();
  #longEnded = false;
  #deepSweptAt = 0;
  readonly #clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  get started(): boolean {
    return this.#started;
  }

  get low(): bigint {
    return this.#low;
  }

  get near(): bigint {
    return this.#near;
  }

  get floor(): bigint {
    return this.#floor;
  }

  /** Raises every mark to a floor read from the database (at start, or another relay's after a sweep). */
  start(floor: bigint): void {
    this.#started = true;
    if (floor > this.#floor) this.#floor = floor;
    if (floor > this.#near) this.#near = floor;
    if (floor > this.#low) this.#low = floor;
    if (floor > this.#settledNear) this.#settledNear = floor;
    if (floor > this.#settledStrict) this.#settledStrict = floor;
  }

  /** Call when a claim is issued; pass the ticket to {@link observe} with its result. */
  begin(): number {
    return this.#completed;
  }

  /** Takes one claim's report: settles what its snapshot proves and moves `low` up to it. */
  observe(ticket: number, claim: ClaimObservation): void {
    const snap = parseSnapshot(claim.snapshot);
    const now = this.#clock();
    this.#track(snap, now);
    // Pair the marks of the claims that had returned before this one was issued with its snapshot.
    const still: { hw: bigint; completion: number }[] = [];
    for (const u of this.#unpaired) {
      if (u.completion < ticket) this.#checkpoints.push({ hw: u.hw, xmax: snap.xmax });
      else still.push(u);
    }
    this.#unpaired = still;
    this.#unpaired.push({ hw: claim.hw, completion: this.#completed++ });
    // What this snapshot proves, ignoring the long transactions (near) and strictly (floor).
    let near = this.#low;
    for (const c of this.#checkpoints) {
      if (!this.#runningBelow(snap, c.xmax, now, true) && c.hw > near) near = c.hw;
      if (!this.#runningBelow(snap, c.xmax, now, false) && c.hw > this.#settledStrict) this.#settledStrict = c.hw;
    }
    if (near > this.#settledNear) this.#settledNear = near;
    const reach = claim.reach !== undefined && claim.reach < near ? claim.reach : near;
    if (reach > this.#low) this.#low = reach;
    this.#checkpoints = this.#checkpoints.filter((c) => c.hw > this.#floor).slice(-MAX_CHECKPOINTS);
  }

  /** The span the regular sweep walks, `(near, low]`; `near` may then rise to the settled mark. */
  sweepSpan(): SweepSpan {
    return { from: this.#near, to: this.#low, cap: this.#settledNear < this.#low ? this.#settledNear : this.#low };
  }

  /**
   * After the regular sweep: `near` moves to just below the first row still leased (or to the cap).
   * The floor follows it when it had kept up and nothing in the span belongs to a transaction still
   * open; otherwise only the deep sweep may move it.
   */
  swept(span: SweepSpan, firstLeased: bigint | undefined): void {
    const floorKeptUp = this.#floor >= span.from;
    const to = firstLeased !== undefined && firstLeased - 1n < span.cap ? firstLeased - 1n : span.cap;
    if (to > this.#near) this.#near = to;
    if (floorKeptUp && this.#settledStrict >= this.#near && this.#near > this.#floor) this.#floor = this.#near;
  }

  /**
   * The span the deep sweep walks, `(floor, near]`, when it is due: a long transaction just ended, or
   * one has held the floor back for {@link DEEP_SWEEP_INTERVAL_MS}. Otherwise `undefined`.
   */
  deepSweepSpan(): SweepSpan | undefined {
    if (this.#floor >= this.#near) return undefined;
    if (!this.#longEnded && this.#clock() - this.#deepSweptAt < DEEP_SWEEP_INTERVAL_MS) return undefined;
    return { from: this.#floor, to: this.#near, cap: this.#settledStrict < this.#near ? this.#settledStrict : this.#near };
  }

  /** After the deep sweep: the floor moves to just below the first row still leased (or to the cap). */
  deepSwept(span: SweepSpan, firstLeased: bigint | undefined): void {
    this.#longEnded = false;
    this.#deepSweptAt = this.#clock();
    const to = firstLeased !== undefined && firstLeased - 1n < span.cap ? firstLeased - 1n : span.cap;
    if (to > this.#floor) this.#floor = to;
  }

  /** Whether `snap` shows a transaction below `xmax` still running (the long ones ignored, if asked). */
  #runningBelow(snap: Snapshot, xmax: bigint, now: number, ignoreLong: boolean): boolean {
    if (snap.xmin >= xmax) return false;
    return snap.running.some((x) => x < xmax && !(ignoreLong && now - (this.#firstSeen.get(x) ?? now) >= LONG_TRANSACTION_MS));
  }

  /** Remembers when each running transaction was first seen; notes when a long one has ended. */
  #track(snap: Snapshot, now: number): void {
    const running = new Set(snap.running);
    for (const [xid, seen] of this.#firstSeen) {
      if (running.has(xid)) continue;
      // Gone from the snapshot: ended (or older than this snapshot's xmin, and so ended too).
      if (now - seen >= LONG_TRANSACTION_MS) this.#longEnded = true;
      this.#firstSeen.delete(xid);
    }
    for (const xid of snap.running) if (!this.#firstSeen.has(xid)) this.#firstSeen.set(xid, now);
  }
}

/** Parses `pg_current_snapshot()` text: `xmin:xmax:xip1,xip2,…`. */
export function parseSnapshot(text: string): Snapshot {
  const [xmin, xmax, xip = ''] = text.split(':');
  return { xmin: BigInt(xmin!), xmax: BigInt(xmax!), running: xip === '' ? [] : xip.split(',').map((x) => BigInt(x)) };
}
