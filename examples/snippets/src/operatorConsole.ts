// README, "Operator console": mounting the console in a Nest app behind the app's guard, and in a plain Node server.
import { createServer } from 'node:http';
import { type CanActivate, type ExecutionContext, Injectable, Module } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';

@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ user?: { roles?: string[] } }>();
    return req.user?.roles?.includes('outbox-operator') ?? false;
  }
}

// #region console-nest
import { OutboxConsoleModule } from '@tx-outbox/relay-sns/nest';

@Module({
  imports: [
    OutboxConsoleModule.forRootAsync({
      path: 'ops/outbox', // served at /ops/outbox/
      guards: [AdminGuard], // your guard: every console request passes it first
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => ({
        dataSource,
        writes: true, // requeue, republish and purge; who acted is logged by name
        authenticate: (req) => (req.user as { email?: string } | undefined)?.email,
      }),
    }),
  ],
})
export class OpsModule {}
// #endregion console-nest

export function plainNodeConsole(): void {
  // #region console-node
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  const handler = createOutboxConsoleHandler({ pool }); // read-only, no sign-in: bind it to loopback only
  createServer(handler).listen(9465, '127.0.0.1');
  // #endregion console-node
}

import { createOutboxConsoleHandler } from '@tx-outbox/relay-sns/console';
