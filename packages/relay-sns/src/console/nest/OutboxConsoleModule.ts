import { All, ConfigurableModuleBuilder, Controller, Inject, Module, Req, Res, UseGuards, type CanActivate, type DynamicModule, type Type } from '@nestjs/common';
import { createOutboxConsoleHandler, type OutboxConsoleHandler } from '../createOutboxConsoleHandler.js';
import type { OutboxConsoleModuleOptions } from './OutboxConsoleModuleOptions.js';

export const OUTBOX_CONSOLE_OPTIONS = Symbol('OUTBOX_CONSOLE_OPTIONS');
const OUTBOX_CONSOLE_HANDLER = Symbol('OUTBOX_CONSOLE_HANDLER');

/** Where the console is mounted and who may reach it: fixed when the module is imported. */
interface ConsoleMount {
  /** The controller's path. @defaultValue `outbox` */
  path: string;
  /** Guards the app provides (`@UseGuards` on the console's controller): every console request passes them first. */
  guards: Array<Type<CanActivate> | CanActivate>;
}

const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<OutboxConsoleModuleOptions>({ moduleName: 'OutboxConsole', optionsInjectionToken: OUTBOX_CONSOLE_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras<ConsoleMount>({ path: 'outbox', guards: [] }, (definition: DynamicModule, mount) => ({
    ...definition,
    controllers: [consoleController(mount)],
    providers: [
      ...(definition.providers ?? []),
      {
        provide: OUTBOX_CONSOLE_HANDLER,
        inject: [OUTBOX_CONSOLE_OPTIONS],
        useFactory: (options: OutboxConsoleModuleOptions) =>
          createOutboxConsoleHandler({ ...options, basePath: options.basePath ?? `/${mount.path.replace(/^\/+|\/+$/g, '')}` }),
      },
    ],
  }))
  .build();

/**
 * The operator console in a Nest app (Express or Fastify), under `path`, behind the guards you give:
 * the same pages and actions as `outbox-relay console`. Your guard decides who gets in; `authenticate`
 * names them for the audit log, which is what actions need (`writes: true`) instead of tokens.
 *
 * @example
 * ```ts
 * OutboxConsoleModule.forRootAsync({
 *   path: 'ops/outbox',
 *   guards: [AdminGuard],
 *   inject: [DataSource],
 *   useFactory: (dataSource: DataSource) => ({ dataSource, writes: true, authenticate: (req) => (req.user as { email?: string } | undefined)?.email }),
 * })
 * ```
 */
@Module({})
export class OutboxConsoleModule extends ConfigurableModuleClass {}

/** The console's controller: every method and path under the mount goes to the handler, past the guards. */
function consoleController(mount: ConsoleMount): Type<unknown> {
  @Controller(mount.path)
  class OutboxConsoleController {
    constructor(@Inject(OUTBOX_CONSOLE_HANDLER) private readonly handler: OutboxConsoleHandler) {}

    @All(['', '{*path}'])
    async serve(@Req() req: { raw?: unknown }, @Res() res: { raw?: unknown }): Promise<void> {
      // Fastify wraps Node's request and response (`raw`); Express extends them. Its parsed body stays on the request.
      const request = (req.raw ?? req) as Parameters<OutboxConsoleHandler>[0];
      if (req.raw !== undefined && (req as { body?: unknown }).body !== undefined) request.body = (req as { body?: unknown }).body;
      await this.handler(request, (res.raw ?? res) as Parameters<OutboxConsoleHandler>[1]);
    }
  }
  if (mount.guards.length > 0) UseGuards(...mount.guards)(OutboxConsoleController);
  return OutboxConsoleController;
}
