import type { RelayLogger } from './RelayLogger.js';

/**
 * A small typed event emitter whose `emit` never throws: a listener that throws or rejects is logged
 * and the other listeners still run. The relay's loop must not die because a metrics hook has a bug.
 */
export class SafeEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => unknown>>();

  constructor(private readonly logger: Pick<RelayLogger, 'error'>) {}

  /** Adds a listener; returns a function that removes it. */
  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => unknown): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => unknown);
    return () => this.off(event, listener);
  }

  off<E extends keyof Events>(event: E, listener: (payload: Events[E]) => unknown): void {
    this.listeners.get(event)?.delete(listener as (payload: never) => unknown);
  }

  hasListeners(event: keyof Events): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    const set = this.listeners.get(event);
    if (!set || set.size === 0) return;
    if (set.size === 1) {
      // The common case, without copying the set; a listener it adds meanwhile is not called, as with the copy.
      this.call(event, set.values().next().value!, payload);
      return;
    }
    // A copy: a listener may add or remove listeners while they run.
    for (const listener of [...set]) this.call(event, listener, payload);
  }

  private call<E extends keyof Events>(event: E, listener: (payload: never) => unknown, payload: Events[E]): void {
    try {
      const result = (listener as (payload: Events[E]) => unknown)(payload);
      if (result instanceof Promise) result.catch((error: unknown) => this.report(event, error));
    } catch (error) {
      this.report(event, error);
    }
  }

  private report(event: keyof Events, error: unknown): void {
    try {
      this.logger.error(`A listener of "${String(event)}" threw; the relay goes on without it.`, { error });
    } catch {
      // A logger that throws must not stop the relay either.
    }
  }
}
