import { parseSubjectPattern } from '@tx-outbox/outbox-core/internal';
import type { ConsumedMessage } from '../consumer/ConsumedMessage.js';
import { OutboxHandlerConflictError } from './OutboxHandlerConflictError.js';

/** A discovered handler: the bound method and where it came from (for messages and logs). */
export interface OutboxHandler {
  name: string;
  run: (message: ConsumedMessage) => Promise<void> | void;
}

/**
 * Subject → handler, matched as the routes are: the exact subject first, then the longest prefix.
 * @throws OutboxHandlerConflictError when one pattern is declared twice.
 */
export class HandlerTable {
  private readonly exact = new Map<string, OutboxHandler>();
  private readonly prefixes: Array<{ prefix: string; handler: OutboxHandler }> = [];

  add(pattern: string, handler: OutboxHandler): void {
    const parsed = parseSubjectPattern(pattern);
    const existing = 'exact' in parsed ? this.exact.get(parsed.exact) : this.prefixes.find((p) => p.prefix === parsed.prefix)?.handler;
    if (existing) throw new OutboxHandlerConflictError(pattern, existing.name, handler.name);
    if ('exact' in parsed) this.exact.set(parsed.exact, handler);
    else {
      this.prefixes.push({ prefix: parsed.prefix, handler });
      this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    }
  }

  find(subject: string): OutboxHandler | undefined {
    return this.exact.get(subject) ?? this.prefixes.find((p) => subject.startsWith(p.prefix))?.handler;
  }

  get size(): number {
    return this.exact.size + this.prefixes.length;
  }
}
