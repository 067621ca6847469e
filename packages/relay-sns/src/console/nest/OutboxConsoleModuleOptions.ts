import type { IncomingMessage } from 'node:http';
import type { OutboxConsoleOptions } from '../OutboxConsoleOptions.js';

/**
 * Options of {@link OutboxConsoleModule}: the console's, where `authenticate` is usually the user your
 * guard put on the request (`(req) => req.user?.email`), so actions are logged by name without tokens.
 */
export interface OutboxConsoleModuleOptions extends Omit<OutboxConsoleOptions, 'basePath' | 'authenticate'> {
  /**
   * Who the request is for the audit log, after the module's guards let it through. Return `undefined`
   * to refuse it (401). @defaultValue none: then give `tokens`, or leave the console read-only
   */
  authenticate?: (req: IncomingMessage & { user?: unknown }) => string | undefined | Promise<string | undefined>;
  /**
   * The path the console is reached at, as the browser sees it, when it differs from the module's
   * `path` (a global prefix set with `app.setGlobalPrefix('api')` makes it `/api/<path>`).
   * @defaultValue `/<path>`
   */
  basePath?: string;
}
