import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { SNSClient, CreateTopicCommand } from '@aws-sdk/client-sns';
import { createTestDatabase } from '../../../tools/devkit/dist/index.js';

it('global setup provides a real PostgreSQL and SNS endpoint', async () => {
  const db = await createTestDatabase(inject('databaseUrl'));
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query('select 41 + 1 as n');
  await client.end();
  await db.drop();
  expect(rows[0].n).toBe(42);
  const sns = new SNSClient({ endpoint: inject('awsEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const out = await sns.send(new CreateTopicCommand({ Name: 'infra-check' }));
  expect(out.TopicArn).toContain('infra-check');
});
