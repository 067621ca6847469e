// One receive path of scenario "consumer cost" in a process of its own, so its CPU time is its own:
// argv[2] = ConsumerCostWorkerConfig as JSON. Sets the path up, zeroes the server's statement
// statistics, receives until every delivery was handled and acknowledged, prints one JSON report line.
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { SQSClient } from '@aws-sdk/client-sqs';
import { useLocalAwsDefaults } from '@tx-outbox/devkit';
import pg from 'pg';
import { readStatementStats, resetStatementStats } from '../sql/statementStats.js';
import type { ConsumerCostWorkerConfig, ConsumerCostWorkerReport } from '../support/consumerCost/ConsumerPath.js';
import { countSqsCalls } from '../support/consumerCost/countSqsCalls.js';
import { setUpPath, type PathCounts } from '../support/consumerCost/consumerPaths.js';

useLocalAwsDefaults();
const config = JSON.parse(process.argv[2]!) as ConsumerCostWorkerConfig;
const sqs = new SQSClient({ endpoint: config.endpoint });
const statsPool = new pg.Pool({ connectionString: config.databaseUrl, max: 1 });
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 60 });
const counts: PathCounts = { processed: 0, duplicates: 0, errors: {} };
const path = await setUpPath(config.path, { sqs, queueUrl: config.queueUrl, pool, databaseUrl: config.databaseUrl, deliveries: config.deliveries, counts });
// Counted from here on: set-up calls (none today) are not the path's cost.
const calls = countSqsCalls(sqs);
await resetStatementStats(statsPool, config.withStatements);
const cpuAtStart = process.cpuUsage();
const startedAt = performance.now();
await path.run();
const ms = performance.now() - startedAt;
const cpu = process.cpuUsage(cpuAtStart);
const server = await readStatementStats(statsPool, config.withStatements);
await path.close();
await Promise.all([pool.end(), statsPool.end()]);
sqs.destroy();
const report: ConsumerCostWorkerReport = {
  path: config.path,
  processed: counts.processed,
  duplicates: counts.duplicates,
  ms,
  cpuUserMicros: cpu.user,
  cpuSystemMicros: cpu.system,
  sqsCalls: calls,
  statements: server.statements,
  execMs: server.execMs,
  errors: counts.errors,
};
process.stdout.write(JSON.stringify(report) + '\n');
process.exit(0);
