import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * @nestjs-cls/transactional's `TransactionHost` class, when that package is installed (one CommonJS
 * build, so this is the class the app's own imports give), else undefined. Never throws.
 */
export function installedClsTransactionHost(): (abstract new (...args: never[]) => unknown) | undefined {
  try {
    return (require('@nestjs-cls/transactional') as { TransactionHost?: abstract new (...args: never[]) => unknown }).TransactionHost;
  } catch {
    return undefined;
  }
}
