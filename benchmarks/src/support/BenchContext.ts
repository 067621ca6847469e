import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { BenchSizes } from './sizes.js';

/** What every scenario gets from main: the servers it may use and the sizes of this mode. */
export interface BenchContext {
  /** Admin URL of the benchmark's own PostgreSQL; each scenario creates its own database on it. */
  adminUrl: string;
  /** SNS/SQS endpoint (its own process). */
  endpoint: string;
  sns: SNSClient;
  sqs: SQSClient;
  quick: boolean;
  /** Where a scenario writes its CSV and charts (the directory of the JSON results). */
  resultsDir: string;
  sizes: BenchSizes;
  /** Prints a progress line (stderr, so the table on stdout stays clean). */
  log(line: string): void;
}
