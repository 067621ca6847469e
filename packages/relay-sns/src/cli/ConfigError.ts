import { OutboxError } from '@tx-outbox/outbox-core';
import { maskUrlPasswords } from '@tx-outbox/outbox-core/internal';

/**
 * A sidecar setting is missing or invalid. The CLI prints the message as one line and exits 2. The
 * message may quote the value it got; any URL password in it is masked.
 */
export class ConfigError extends OutboxError {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(maskUrlPasswords(message));
    this.name = 'ConfigError';
    this.variable = variable;
  }
}
