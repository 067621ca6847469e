// The bare PublishBatch loop in a process of its own, so its CPU time (process.cpuUsage) can be set
// beside the relay's: argv[2] = JSON { endpoint, topicArn, messages, concurrency }; prints one JSON line.
import { SNSClient } from '@aws-sdk/client-sns';
import { useLocalAwsDefaults } from '@tx-outbox/devkit';
import { barePublishLoop } from '../support/barePublishLoop.js';

useLocalAwsDefaults();
const { endpoint, topicArn, messages, concurrency } = JSON.parse(process.argv[2]!) as { endpoint: string; topicArn: string; messages: number; concurrency: number };
const sns = new SNSClient({ endpoint });
const cpuAtStart = process.cpuUsage();
const { msgPerSec } = await barePublishLoop(sns, topicArn, messages, concurrency);
const cpu = process.cpuUsage(cpuAtStart);
sns.destroy();
process.stdout.write(JSON.stringify({ messages: Math.ceil(messages / 10) * 10, msgPerSec, cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system }) + '\n');
