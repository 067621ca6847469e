// One PostgreSQL (and a PgBouncer in front of it) and one SNS/SQS endpoint for the whole test run (see tools/devkit).
import type { TestProject } from 'vitest/node';
import { setupInfrastructure } from '../tools/devkit/dist/index.js';

export default function setup(project: TestProject) {
  return setupInfrastructure({ provide: (key, value) => project.provide(key, value) });
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    awsEndpoint: string;
    pgbouncerUrl: string;
    pgbouncerError: string;
  }
}
