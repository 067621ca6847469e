import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { maskUrlPasswords } from '@tx-outbox/outbox-core/internal';
import { OutboxAdmin } from '@tx-outbox/outbox-typeorm/postgres';
import { OutboxInspector } from '@tx-outbox/outbox-typeorm/internal';
import type { ConsoleApp } from './ConsoleApp.js';
import { ConsoleAuth, CSRF_COOKIE, MIN_TOKEN_LENGTH, SESSION_COOKIE, cookie, newCsrfBinding, readCookies, sameOrigin } from './consoleAuth.js';
import { loadConsoleAssets } from './consoleAssets.js';
import type { SafeHtml } from './html.js';
import { isInputError } from './isInputError.js';
import type { OutboxConsoleOptions } from './OutboxConsoleOptions.js';
import type { ConsoleAction } from './pages/actionLinks.js';
import { errorPage } from './pages/errorPage.js';
import { failuresPage } from './pages/failuresPage.js';
import type { PageContext } from './pages/layout.js';
import { loginPage } from './pages/loginPage.js';
import { messagePage } from './pages/messagePage.js';
import { overviewPage } from './pages/overviewPage.js';
import { FormError, fieldsOf, readForm } from './readForm.js';
import { registerConsoleMetrics } from './registerConsoleMetrics.js';
import { runConsoleAction } from './runConsoleAction.js';
import { searchConsoleMessages } from './searchConsoleMessages.js';
import { send, sendPage } from './sendResponse.js';

/** Node's request handler of the console: `http.createServer(handler)`, or mounted under `basePath` in a framework. */
export type OutboxConsoleHandler = (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => Promise<void>;

const ACTIONS: readonly ConsoleAction[] = ['requeue', 'republish', 'purge'];

/**
 * The operator console: server-rendered pages over the outbox table (overview with charts, failures
 * grouped by fingerprint, a keyset-paged search, one message with its payload) and, when enabled, the
 * operator's actions (requeue, republish, purge) through `OutboxAdmin`, each with a dry run first.
 *
 * Security: read-only unless `writes`; actions need `writes` and a known requester (`tokens` or
 * `authenticate`); with `tokens` every page needs a sign-in; every POST needs its CSRF token and a
 * same-origin request; a strict CSP; payloads and errors are escaped; nothing shows the database URL
 * or a token. Bind it to loopback unless it has tokens (the `outbox-relay` CLI refuses otherwise).
 *
 * @throws InvalidOptionError naming the option.
 * @example
 * ```ts
 * const handler = createOutboxConsoleHandler({ pool, tokens: [{ name: 'alice', token: process.env.CONSOLE_TOKEN! }], writes: true });
 * http.createServer(handler).listen(9465, '127.0.0.1');
 * ```
 */
export function createOutboxConsoleHandler(options: OutboxConsoleOptions): OutboxConsoleHandler {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object', options);
  const base = checkBasePath(options.basePath ?? '/');
  const tokens = checkTokens(options.tokens ?? []);
  if (options.authenticate !== undefined && typeof options.authenticate !== 'function') throw new InvalidOptionError('authenticate', 'a function (req) => user name | undefined', options.authenticate);
  if (options.authenticate !== undefined && tokens.length > 0) throw new InvalidOptionError('tokens', 'either tokens or authenticate, not both', '(tokens)');
  const writes = options.writes ?? false;
  if (typeof writes !== 'boolean') throw new InvalidOptionError('writes', 'true or false', writes);
  if (writes && tokens.length === 0 && options.authenticate === undefined) {
    throw new InvalidOptionError('writes', 'writes only with tokens or authenticate (who acts must be known)', writes);
  }
  const location = { pool: options.pool, dataSource: options.dataSource, tableName: options.tableName, schema: options.schema } as const;
  const admin = new OutboxAdmin({ ...location, confirmAbove: options.confirmAbove, batchSize: options.batchSize });
  const inspector = new OutboxInspector(location);
  const confirmAbove = options.confirmAbove ?? 1000;
  const auth = new ConsoleAuth(tokens, options.csrfSecret);
  const assets = loadConsoleAssets();
  const metrics = options.registry ? registerConsoleMetrics(options.registry) : undefined;
  const allowedHosts = options.allowedHosts && new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  const app: ConsoleApp = { options, base, writes, admin, inspector, auth, assets, metrics, confirmAbove };

  return async (req, res) => {
    try {
      if (allowedHosts && !allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
        return send(res, 421, 'text/plain; charset=utf-8', 'This console answers only to the host names it is bound to.\n');
      }
      await route(app, req, res);
    } catch (error) {
      options.logger?.warn('console request failed', { error, method: req.method, path: (req.url ?? '').split('?')[0] });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `The console could not answer: ${maskUrlPasswords(errorLine(error))}\n`);
      else res.end();
    }
  };
}

async function route(app: ConsoleApp, req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void> {
  const { base, auth } = app;
  // A path that is not absolute (`//x`, `*`) is read as the root's sibling, answered 404.
  const url = new URL(`http://console.invalid${req.url?.startsWith('/') ? req.url : '/-'}`);
  const path = url.pathname === base.slice(0, -1) ? '' : url.pathname.startsWith(base) ? url.pathname.slice(base.length) : undefined;
  if (path === undefined) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST' && method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, POST' });
  if (path.startsWith('assets/')) return serveAsset(app, path.slice('assets/'.length), res);
  const cookies = readCookies(req);
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';

  if (path === 'login' && auth.usesTokens) {
    if (method !== 'POST') return sendPage(res, 200, loginPage(base, app.assets, undefined));
    const form = await readForm(req);
    const name = sameOrigin(req) && typeof form.token === 'string' ? auth.tokenName(form.token) : undefined;
    if (name === undefined) return sendPage(res, 401, loginPage(base, app.assets, 'That token is not one of the console\'s.'));
    app.options.logger?.info('console sign-in', { actor: name });
    return send(res, 303, 'text/plain; charset=utf-8', 'signed in\n', { location: base, 'set-cookie': cookie(SESSION_COOKIE, auth.newSession(name), { path: base, secure }) });
  }

  // Who asks: a token's session, the application's user, or nobody (an open, read-only console).
  let actor: string | undefined;
  if (auth.usesTokens) {
    actor = auth.sessionName(cookies[SESSION_COOKIE]);
    if (actor === undefined) {
      if (method === 'POST') return sendPage(res, 401, loginPage(base, app.assets, 'Sign in first.'));
      return send(res, 303, 'text/plain; charset=utf-8', 'sign in\n', { location: `${base}login` });
    }
  } else if (app.options.authenticate) {
    actor = await app.options.authenticate(req);
    if (actor === undefined) return send(res, 401, 'text/plain; charset=utf-8', 'not authenticated\n');
  }
  // The cookie the CSRF token is bound to: the session, or a per-browser one set here.
  const extraHeaders: Record<string, string> = {};
  let binding = auth.usesTokens ? cookies[SESSION_COOKIE] : cookies[CSRF_COOKIE];
  if (!auth.usesTokens && actor !== undefined && !binding) {
    binding = newCsrfBinding();
    extraHeaders['set-cookie'] = cookie(CSRF_COOKIE, binding, { path: base, secure });
  }
  const canWrite = app.writes && actor !== undefined;
  const ctx: PageContext = { base, assets: app.assets, actor, writes: canWrite, csrf: actor !== undefined && binding ? auth.csrfToken(binding) : undefined, tokens: auth.usesTokens };
  const page = (status: number, body: SafeHtml) => sendPage(res, status, body, extraHeaders);

  if (method === 'POST') {
    const form = await readForm(req).catch((error: unknown) => {
      if (error instanceof FormError) return error;
      throw error;
    });
    if (form instanceof FormError) return page(form.status, errorPage(ctx, 'Refused', form.message));
    // CSRF: the form must carry the token of this browser's cookie, and come from the console's own origin.
    if (!sameOrigin(req) || !auth.checkCsrf(binding, form._csrf)) {
      app.options.logger?.warn('console request refused: CSRF check failed', { actor, path });
      return page(403, errorPage(ctx, 'Refused', 'This form did not come from this console (its CSRF token is missing or wrong). Reload the page and try again.'));
    }
    if (path === 'logout' && auth.usesTokens) {
      return send(res, 303, 'text/plain; charset=utf-8', 'signed out\n', { location: `${base}login`, 'set-cookie': cookie(SESSION_COOKIE, '', { path: base, secure, maxAgeS: 0 }) });
    }
    const action = path.startsWith('actions/') ? (path.slice('actions/'.length) as ConsoleAction) : undefined;
    if (action === undefined || !ACTIONS.includes(action)) return page(404, errorPage(ctx, 'Not found', 'There is no such action.'));
    return page(...(await runConsoleAction(app, ctx, action, form, false)));
  }

  const fields = fieldsOf(url.searchParams);
  if (path === '') {
    const [overview, series] = await Promise.all([app.inspector.overview(), app.inspector.series()]);
    return page(200, overviewPage(ctx, overview, series, { blockedRoutes: app.options.blockedRoutes?.(), routeOf: app.options.routeOf }));
  }
  if (path === 'failures') return page(200, failuresPage(ctx, await app.inspector.failureGroups('dead')));
  if (path === 'messages') return page(...(await searchConsoleMessages(app, ctx, fields)));
  const message = /^messages\/([^/]+)(\/payload)?$/.exec(path);
  if (message) {
    const id = message[1]!;
    // The inspector refuses an id that is not a uuid (InvalidOptionError): a 400, not a database error.
    const read = <T>(get: () => Promise<T>) => get().catch((error: unknown) => (isInputError(error) ? ('bad id' as const) : Promise.reject(error)));
    if (message[2]) {
      const payload = await read(() => app.inspector.payload(id));
      if (payload === 'bad id') return page(400, errorPage(ctx, 'Not a message id', 'A message id is a uuid.'));
      if (payload === undefined) return page(404, errorPage(ctx, 'Not found', `No message ${id}.`));
      return send(res, 200, 'application/json; charset=utf-8', payload, { 'content-disposition': `attachment; filename="${id}.json"` });
    }
    const detail = await read(() => app.inspector.message(id));
    if (detail === 'bad id') return page(400, errorPage(ctx, 'Not a message id', 'A message id is a uuid.'));
    if (detail === undefined) return page(404, errorPage(ctx, 'Not found', `No message ${id}.`));
    return page(200, messagePage(ctx, detail));
  }
  const preview = /^actions\/([a-z]+)$/.exec(path);
  if (preview && ACTIONS.includes(preview[1] as ConsoleAction)) return page(...(await runConsoleAction(app, ctx, preview[1] as ConsoleAction, fields, true)));
  return page(404, errorPage(ctx, 'Not found', 'There is no such page.'));
}

function serveAsset(app: ConsoleApp, file: string, res: ServerResponse): void {
  const asset = Object.values(app.assets).find((a) => a.file === file);
  if (!asset) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  send(res, 200, asset.contentType, asset.body, { 'cache-control': 'public, max-age=31536000, immutable' });
}

function errorLine(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** `/`, or `/x/y/` (added if missing): plain path segments only. */
function checkBasePath(path: unknown): string {
  if (typeof path !== 'string' || !/^\/([A-Za-z0-9._~-]+\/?)*$/.test(path)) throw new InvalidOptionError('basePath', 'a path such as / or /outbox', path);
  return path.endsWith('/') ? path : `${path}/`;
}

function checkTokens(tokens: unknown): Array<{ name: string; token: string }> {
  if (!Array.isArray(tokens)) throw new InvalidOptionError('tokens', 'an array of { name, token }', '(not an array)');
  const names = new Set<string>();
  return tokens.map((t: { name?: unknown; token?: unknown }, i) => {
    if (typeof t?.name !== 'string' || !/^[A-Za-z0-9_.@-]{1,64}$/.test(t.name) || names.has(t.name)) {
      throw new InvalidOptionError(`tokens[${i}].name`, 'a unique name of letters, digits, _ . @ -, at most 64', t?.name);
    }
    // The token itself is never echoed back in an error.
    if (typeof t.token !== 'string' || t.token.length < MIN_TOKEN_LENGTH || /[\s,]/.test(t.token)) {
      throw new InvalidOptionError(`tokens[${i}].token`, `at least ${MIN_TOKEN_LENGTH} characters, no spaces or commas`, '(hidden)');
    }
    names.add(t.name);
    return { name: t.name, token: t.token };
  });
}
