import { createRequire } from 'node:module';
import { MissingPeerDependencyError } from './MissingPeerDependencyError.js';

const require = createRequire(import.meta.url);

/**
 * Loads an optional peer (prom-client, pino, pino-pretty) on first use, so the package imports without
 * it and only the feature that needs it asks for it.
 * @throws MissingPeerDependencyError naming the package and what needs it.
 */
export function requireOptional<T>(name: string, neededFor: string): T {
  try {
    return require(name) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new MissingPeerDependencyError(name, neededFor, { cause: error });
  }
}
