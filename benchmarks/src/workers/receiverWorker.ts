// The consumer of scenario 4 in a process of its own, so a receipt is timed when it arrives, not when the
// producer's busy event loop gets to it: argv[2] = JSON { endpoint, queueUrl, loops }. Prints
// {"ready":true}, then one JSON line of receipts ([n, SentTimestamp, received epoch ms]) per receive;
// leaves on a "stop" line (or when stdin closes) and prints {"stopped":true}.
import { createInterface } from 'node:readline';
import { SQSClient } from '@aws-sdk/client-sqs';
import { useLocalAwsDefaults } from '@tx-outbox/devkit';
import { receiveFromQueue } from '../support/queueReceiver.js';

useLocalAwsDefaults();
const { endpoint, queueUrl, loops } = JSON.parse(process.argv[2]!) as { endpoint: string; queueUrl: string; loops: number };
const sqs = new SQSClient({ endpoint });
const receiver = receiveFromQueue(sqs, queueUrl, loops, (receipts) => process.stdout.write(JSON.stringify(receipts) + '\n'));
process.stdout.write(JSON.stringify({ ready: true }) + '\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await receiver.stop();
  sqs.destroy();
  process.stdout.write(JSON.stringify({ stopped: true }) + '\n', () => process.exit(0));
};
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => line === 'stop' && void stop());
lines.on('close', () => void stop());
