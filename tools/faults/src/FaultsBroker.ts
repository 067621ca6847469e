import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { freePort, startBroker, type RunningBroker } from '@tx-outbox/devkit';
import { DEAD_LETTER_QUEUE_NAME, MAX_RECEIVE_COUNT, QUEUE_NAME, REGION, TOPIC_NAME } from './names.js';

/**
 * The SNS/SQS endpoint (fauxqs) in its own process, on a fixed port so it can be stopped and started
 * again where every client expects it.
 *
 * fauxqs keeps topics, queues and subscriptions in memory; a real SNS/SQS outage loses none of them.
 * So the topic, the queue and the subscription are declared in a FAUXQS_INIT file, which fauxqs
 * applies as it starts listening, before it serves any request: a relay retrying at that very moment
 * never sees "topic not found" (which is a permanent error and would dead-letter a healthy message).
 * The queue has a redrive policy to a dead-letter queue (MAX_RECEIVE_COUNT receives), as in production.
 */
export class FaultsBroker {
  private running: RunningBroker | undefined;
  topicArn = '';
  queueUrl = '';
  deadLetterQueueUrl = '';

  private constructor(
    readonly port: number,
    private readonly sqs: SQSClient,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(tempDir: string): Promise<FaultsBroker> {
    const initFile = join(tempDir, 'fauxqs-init.json');
    await writeFile(
      initFile,
      JSON.stringify({
        topics: [{ name: TOPIC_NAME }],
        queues: [
          { name: DEAD_LETTER_QUEUE_NAME },
          {
            name: QUEUE_NAME,
            attributes: {
              RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${REGION}:000000000000:${DEAD_LETTER_QUEUE_NAME}`, maxReceiveCount: MAX_RECEIVE_COUNT }),
            },
          },
        ],
        subscriptions: [{ topic: TOPIC_NAME, queue: QUEUE_NAME }],
      }),
    );
    // Read by fauxqs in the child process startBroker spawns (it inherits the environment).
    process.env.FAUXQS_INIT = initFile;
    const port = await freePort();
    const broker = new FaultsBroker(port, new SQSClient({ region: REGION, endpoint: `http://127.0.0.1:${port}` }));
    await broker.startProcess();
    const sns = new SNSClient({ region: REGION, endpoint: broker.endpoint });
    broker.topicArn = (await sns.send(new CreateTopicCommand({ Name: TOPIC_NAME }))).TopicArn!;
    sns.destroy();
    broker.queueUrl = (await broker.sqs.send(new GetQueueUrlCommand({ QueueName: QUEUE_NAME }))).QueueUrl!;
    broker.deadLetterQueueUrl = (await broker.sqs.send(new GetQueueUrlCommand({ QueueName: DEAD_LETTER_QUEUE_NAME }))).QueueUrl!;
    const { Attributes } = await broker.sqs.send(new GetQueueAttributesCommand({ QueueUrl: broker.queueUrl, AttributeNames: ['RedrivePolicy'] }));
    if (!Attributes?.RedrivePolicy?.includes(DEAD_LETTER_QUEUE_NAME)) throw new Error(`the queue has no redrive policy (${JSON.stringify(Attributes)})`);
    return broker;
  }

  /** Starts the endpoint process on the port (again). */
  async startProcess(): Promise<void> {
    this.running = await startBroker({ ownProcess: true, forceLocal: true, port: this.port });
  }

  /** Kills the endpoint process at once (an outage, not a graceful shutdown). */
  async kill(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    if (running.pid !== undefined) process.kill(running.pid, 'SIGKILL');
    await running.stop();
  }

  /** Messages on the queue, visible, in flight or delayed. */
  queuedMessages(): Promise<number> {
    return this.depth(this.queueUrl);
  }

  /** Messages SQS moved to the dead-letter queue since the endpoint last started (it keeps no state across a restart). */
  deadLettered(): Promise<number> {
    return this.depth(this.deadLetterQueueUrl);
  }

  private async depth(queueUrl: string): Promise<number> {
    const out = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    return Object.values(out.Attributes ?? {}).reduce((sum, v) => sum + Number(v), 0);
  }

  async close(): Promise<void> {
    await this.kill();
    this.sqs.destroy();
  }
}
