import { randomUUID } from 'node:crypto';
import type { InboxBeginOptions, InboxBeginResult, InboxLease, InboxStore } from '../InboxStore.js';
import { InvalidOptionError } from '../errors.js';
import { checkInteger } from '../options/optionChecks.js';
import { handleOnce } from './handleOnce.js';
import type { HandleOnceOptions } from './HandleOnceOptions.js';
import type { HandleOnceResult } from './HandleOnceResult.js';

/** Options of {@link InMemoryInboxStore}. */
export interface InMemoryInboxStoreOptions {
  /**
   * The clock, in epoch milliseconds. Tests pass their own to expire leases and records without waiting.
   * @defaultValue `Date.now`
   */
  now?: () => number;
}

interface InboxRecord {
  status: 'in_progress' | 'done';
  token: string | undefined;
  lockedUntil: number;
  processedAt: number;
  expiresAt: number;
  fingerprint: string | undefined;
}

/**
 * A {@link InboxStore} in this process's memory: for unit tests and single-process consumers. Its
 * records vanish with the process, so a redelivery after a restart is not recognised.
 *
 * @example
 * ```ts
 * const inbox = new InMemoryInboxStore();
 * await inbox.handleOnce({ consumer: 'mailer', messageId }, () => sendMail(to));
 * ```
 */
export class InMemoryInboxStore implements InboxStore {
  private readonly records = new Map<string, InboxRecord>();
  private readonly now: () => number;

  constructor(options: InMemoryInboxStoreOptions = {}) {
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new InvalidOptionError('now', 'a function returning epoch milliseconds', options.now);
    }
    this.now = options.now ?? Date.now;
  }

  /** `handleOnce(this, options, handler)`. */
  handleOnce<T>(options: HandleOnceOptions, handler: () => T | Promise<T>): Promise<HandleOnceResult<T>> {
    return handleOnce(this, options, handler);
  }

  async begin(options: InboxBeginOptions): Promise<InboxBeginResult> {
    const key = keyOf(options.consumer, options.messageId);
    const now = this.now();
    const existing = this.records.get(key);
    if (existing && !(existing.status === 'done' && existing.expiresAt <= now)) {
      if (existing.fingerprint && options.fingerprint && existing.fingerprint !== options.fingerprint) return { outcome: 'mismatch' };
      if (existing.status === 'done') return { outcome: 'done', processedAt: new Date(existing.processedAt) };
      if (existing.lockedUntil > now) return { outcome: 'in_progress', lockedUntil: new Date(existing.lockedUntil), retryAfterMs: existing.lockedUntil - now };
    }
    const token = randomUUID();
    const keptFingerprint = existing?.status === 'in_progress' ? existing.fingerprint : undefined;
    this.records.set(key, {
      status: 'in_progress',
      token,
      lockedUntil: now + options.leaseMs,
      processedAt: 0,
      expiresAt: now + options.ttlMs,
      fingerprint: options.fingerprint ?? keptFingerprint,
    });
    return { outcome: 'acquired', token };
  }

  async complete(lease: InboxLease, ttlMs: number): Promise<boolean> {
    const record = this.owned(lease);
    if (!record) return false;
    const now = this.now();
    Object.assign(record, { status: 'done', token: undefined, processedAt: now, expiresAt: now + ttlMs });
    return true;
  }

  async extendLease(lease: InboxLease, leaseMs: number): Promise<boolean> {
    // Fenced by the token alone, as complete() is: a lease that ran out is still this caller's until
    // another begin() takes the record over.
    const record = this.owned(lease);
    if (!record) return false;
    record.lockedUntil = this.now() + leaseMs;
    return true;
  }

  async release(lease: InboxLease): Promise<void> {
    if (this.owned(lease)) this.records.delete(keyOf(lease.consumer, lease.messageId));
  }

  async purgeExpired(batchSize: number): Promise<number> {
    checkInteger('batchSize', batchSize, { min: 1 });
    const now = this.now();
    let purged = 0;
    for (const [key, record] of this.records) {
      if (purged >= batchSize) break;
      if (record.expiresAt <= now && (record.status === 'done' || record.lockedUntil <= now)) {
        this.records.delete(key);
        purged++;
      }
    }
    return purged;
  }

  /** How many records are kept (for tests and metrics). */
  get size(): number {
    return this.records.size;
  }

  private owned(lease: InboxLease): InboxRecord | undefined {
    const record = this.records.get(keyOf(lease.consumer, lease.messageId));
    return record?.status === 'in_progress' && record.token === lease.token ? record : undefined;
  }
}

// JSON of the pair cannot collide, whatever characters the consumer name or message id contain.
function keyOf(consumer: string, messageId: string): string {
  return JSON.stringify([consumer, messageId]);
}
