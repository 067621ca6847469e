import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { StorageDriver, initializeTransactionalContext } from 'typeorm-transactional';
import { AppModule, type AppModuleOptions } from './AppModule.js';

/**
 * Builds the Nest app (not listening yet). Migrations run while it initializes. Call
 * `initializeTransactionalContext` once per process before any DataSource is created.
 */
export async function createPaymentApp(databaseUrl: string, options: Omit<AppModuleOptions, 'databaseUrl'> = {}): Promise<INestApplication> {
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
  return NestFactory.create(AppModule.forRoot({ databaseUrl, ...options }), { logger: ['error', 'warn'] });
}
