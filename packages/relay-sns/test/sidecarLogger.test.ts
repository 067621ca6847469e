// The sidecar's pino logger: errors keep stack, cause and the AWS request id; no secret reaches a line.
import { QueueDoesNotExist } from '@aws-sdk/client-sqs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createSidecarLogger, type LogFormat } from '../src/cli/logger.js';
import { runCli } from './support/cliProcess.js';

function capture(format: LogFormat = 'json') {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) });
  const logger = createSidecarLogger({ level: 'debug', format, destination });
  return { logger, lines, json: () => lines.map((line) => JSON.parse(line) as Record<string, any>) };
}

describe('the sidecar logger', () => {
  it('logs an error with its stack, its cause chain and the AWS request id', () => {
    const { logger, json } = capture();
    const aws = new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: { httpStatusCode: 400, requestId: 'req-7f3a' } });
    logger.error('publish failed', { stage: 'publish', error: new Error('PublishBatch failed', { cause: aws }) });
    const [line] = json();
    expect(line).toMatchObject({ level: 'error', msg: 'publish failed', stage: 'publish' });
    expect(line!.error).toMatchObject({ type: 'Error', message: 'PublishBatch failed' });
    expect(line!.error.stack).toContain('PublishBatch failed');
    expect(line!.error.cause).toMatchObject({ type: 'QueueDoesNotExist', message: 'The specified queue does not exist.', awsRequestId: 'req-7f3a' });
    expect(line!.error.cause.stack).toContain('QueueDoesNotExist');
  });

  it('masks URL passwords anywhere in a line and redacts credential fields', () => {
    const { logger, lines } = capture();
    const url = 'postgres://app:s3cr3t-pw@db:5432/app';
    logger.warn(`cannot reach ${url}`, {
      target: url,
      error: new Error(`connect ECONNREFUSED ${url}`),
      aws: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI-secret' },
      password: 'hunter2',
    });
    const text = lines.join('');
    for (const secret of ['s3cr3t-pw', 'wJalrXUtnFEMI-secret', 'AKIAEXAMPLE', 'hunter2']) expect(text).not.toContain(secret);
    expect(text).toContain('postgres://app:***@db:5432/app');
  });

  it('writes readable lines with OUTBOX_LOG_FORMAT=pretty', () => {
    const { logger, lines } = capture('pretty');
    logger.info('outbox-relay started', { relayId: 'r-1', url: 'postgres://app:pw-123@db/app' });
    const text = lines.join('');
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toContain('outbox-relay started');
    expect(text).toContain('r-1');
    expect(text).not.toContain('pw-123');
  });
});

describe('outbox-relay --log-format', () => {
  it('exits 2 naming OUTBOX_LOG_FORMAT for a format it does not know', async () => {
    const { code, stderr } = await runCli(['status'], { DATABASE_URL: 'postgres://a:b@127.0.0.1:1/x', OUTBOX_LOG_FORMAT: 'xml' });
    expect(code).toBe(2);
    expect(stderr.join('\n')).toContain('OUTBOX_LOG_FORMAT');
  });
});
