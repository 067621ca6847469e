import { OutboxError } from '@tx-outbox/outbox-core';

/** A feature needs an optional peer dependency that is not installed. */
export class MissingPeerDependencyError extends OutboxError {
  readonly packageName: string;
  constructor(packageName: string, neededFor: string, options?: { cause?: unknown }) {
    super(`${neededFor} needs the package "${packageName}", which is not installed: run \`npm install ${packageName}\`.`, options);
    this.name = 'MissingPeerDependencyError';
    this.packageName = packageName;
  }
}
