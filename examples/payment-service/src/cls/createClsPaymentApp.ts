import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClsAppModule } from './ClsAppModule.js';

/** Builds the payment app on @nestjs-cls/transactional (not listening yet). Migrations run while it initializes. */
export function createClsPaymentApp(databaseUrl: string): Promise<INestApplication> {
  return NestFactory.create(ClsAppModule.forRoot({ databaseUrl }), { logger: ['error', 'warn'] });
}
