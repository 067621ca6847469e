import type { SQSClient } from '@aws-sdk/client-sqs';

/** Counts every command the client sends, by name (what AWS bills: one request per call). */
export function countSqsCalls(client: SQSClient): Record<string, number> {
  const calls: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = String(context.commandName).replace(/Command$/, '');
      calls[name] = (calls[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countSqsCalls' },
  );
  return calls;
}
