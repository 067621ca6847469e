import { loadPromClient } from '../metrics/loadPromClient.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';

/** What the console counts: each action and its outcome, and the messages it changed. */
export interface ConsoleMetrics {
  action(action: string, outcome: 'done' | 'dry_run' | 'refused' | 'failed', changed: number): void;
}

/**
 * Registers `outbox_console_actions_total{action,outcome}` and
 * `outbox_console_action_messages_total{action}` on `registry`.
 * @throws MissingPeerDependencyError when prom-client is not installed.
 */
export function registerConsoleMetrics(registry: MetricsRegistry): ConsoleMetrics {
  const { Counter } = loadPromClient();
  const actions = new Counter({
    name: 'outbox_console_actions_total',
    help: 'Actions asked for in the operator console, by action (requeue, republish, purge) and outcome (done, dry_run, refused, failed).',
    labelNames: ['action', 'outcome'],
    registers: [registry as never],
  });
  const messages = new Counter({
    name: 'outbox_console_action_messages_total',
    help: 'Messages changed by operator console actions, by action.',
    labelNames: ['action'],
    registers: [registry as never],
  });
  return {
    action(action, outcome, changed) {
      actions.inc({ action, outcome });
      if (changed > 0) messages.inc({ action }, changed);
    },
  };
}
