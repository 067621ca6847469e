import type { StringAttribute } from './messageAttributes.js';

/** The part of an SDK command this needs: its own middleware stack. */
interface CommandWithStack {
  middlewareStack: { add(middleware: never, options: { step: 'initialize'; name: string; priority: 'low' }): void };
}

type Handler = (args: { input: object }) => Promise<unknown>;

/**
 * Makes a batch command send each entry's message attributes exactly as the outbox stored them. An
 * instrumentation that wraps the client (`@opentelemetry/instrumentation-aws-sdk` does, before the
 * middleware runs) may write its own `traceparent` into every entry, and the consumer would then continue
 * the relay's trace instead of the request's. A middleware of the command's own, which runs after such
 * a wrapper and before the request is serialized, puts the stored attributes back.
 *
 * @param entriesOf where the command input keeps its entries (`Entries`, `PublishBatchRequestEntries`)
 */
export function keepStoredAttributes<C extends CommandWithStack>(command: C, entriesOf: (input: object) => Array<{ MessageAttributes?: Record<string, unknown> }> | undefined, stored: ReadonlyArray<Record<string, StringAttribute>>): C {
  // Copies taken now, before any wrapper of the client's send runs: such a wrapper writes into the maps.
  const snapshot = stored.map((attributes) => ({ ...attributes }));
  const middleware = (next: Handler): Handler => (args) => {
    const entries = entriesOf(args.input) ?? [];
    entries.forEach((entry, i) => {
      if (snapshot[i] !== undefined) entry.MessageAttributes = { ...snapshot[i] };
    });
    return next(args);
  };
  // The SDK's middleware type is generic in the command's input and output; this one reads only entries.
  command.middlewareStack.add(middleware as never, { step: 'initialize', name: 'txOutboxStoredAttributes', priority: 'low' });
  return command;
}
