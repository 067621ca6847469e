// README (outbox-typeorm), "Nest module": forRootAsync from ConfigService, and OutboxAdmin behind a guard.
import { Controller, Module, Post, Query, UseGuards, type CanActivate } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { OutboxAdmin } from '@tx-outbox/outbox-typeorm/postgres';
import { OutboxModule } from '@tx-outbox/outbox-typeorm/nest';

declare class AdminGuard implements CanActivate {
  canActivate(): boolean;
}

// #region for-root-async
@Module({
  imports: [
    ConfigModule.forRoot(),
    OutboxModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        tableName: config.get('OUTBOX_TABLE', 'outbox'),
        schema: config.get('OUTBOX_SCHEMA'),
      }),
      admin: true, // also provide OutboxAdmin (wiring options sit beside useFactory, not in it)
    }),
  ],
})
export class AppModule {}
// #endregion for-root-async

// #region admin-controller
@Controller('admin/outbox')
@UseGuards(AdminGuard) // yours: OutboxAdmin has no access control of its own
export class OutboxAdminController {
  constructor(private readonly admin: OutboxAdmin) {}

  @Post('republish')
  republish(@Query('subject') subject: string, @Query('since') since: string, @Query('confirm') confirm?: string) {
    return this.admin.republish({ subject, since: new Date(since) }, { confirm: confirm === 'yes' });
  }
}
// #endregion admin-controller
