import type { Transport } from '@tx-outbox/outbox-core';

/** Accepts every message at once, no network: what the relay does when only the database limits it. */
export function noopTransport(): Transport {
  return { publish: async (messages) => messages.map((m) => ({ id: m.id, status: 'sent' as const })) };
}
