// README: "Adopt it in five minutes", step 3 — wiring the outbox into a Nest app.
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CreateOutboxTable1700000000000 } from '@tx-outbox/outbox-typeorm';
import { OutboxModule } from '@tx-outbox/outbox-typeorm/nest';
import { DataSource } from 'typeorm';
import { addTransactionalDataSource, initializeTransactionalContext, StorageDriver } from 'typeorm-transactional';

// #region wiring
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      useFactory: () => ({
        type: 'postgres',
        url: process.env.DATABASE_URL,
        autoLoadEntities: true,
        migrations: [CreateOutboxTable1700000000000 /* , ...your migrations */],
        migrationsRun: true,
      }),
      // typeorm-transactional must know the DataSource for @Transactional() to find it.
      dataSourceFactory: async (options) => addTransactionalDataSource(new DataSource(options!)),
    }),
    OutboxModule.forRoot(), // provides TransactionalOutbox to every module
  ],
})
export class AppModule {}

export async function bootstrap() {
  // Before the app is created. AsyncLocalStorage: the no-options default (cls-hooked) costs a consumer ~15 % more CPU.
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
// #endregion wiring
