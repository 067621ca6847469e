import { OutboxError } from '@tx-outbox/outbox-core';

/** A sidecar setting is missing or invalid. The CLI prints the message as one line and exits 2. */
export class ConfigError extends OutboxError {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}
