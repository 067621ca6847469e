// README: "Adopt it in five minutes", step 3 — wiring the outbox into a Nest app, import lines included.
// #region wiring
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CreateOutboxTable1700000000000, createTransactionalDataSource } from '@tx-outbox/outbox-typeorm';
import { OutboxModule } from '@tx-outbox/outbox-typeorm/nest';
import { initializeTransactionalContext, StorageDriver } from 'typeorm-transactional';

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
      // Registers the DataSource with typeorm-transactional, for @Transactional() to find it; safe on
      // every connection retry, so the app comes up once the database does.
      dataSourceFactory: createTransactionalDataSource,
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
