import type { RelayCliConfig } from '../configSpec.js';
import { ConfigError } from '../ConfigError.js';
import { createDevTopology, type DevEndpoint } from '../dev/createDevTopology.js';
import { devEnvironment, exportLines } from '../dev/devEnvironment.js';
import { devTargets } from '../dev/devTargets.js';
import { startEmulator, type RunningEmulator } from '../dev/startEmulator.js';
import { destinationName } from '../../brokerBatch/destinationName.js';
import type { Logger } from '../logger.js';
import { parseRoutes } from '../parseRoutes.js';
import { waitForStopSignal } from '../waitForStopSignal.js';

/** Any key signs for an emulator; the SDK refuses to sign without one. */
const FAKE_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * Local development in one command: starts the SNS/SQS emulator the tests use (fauxqs) on 127.0.0.1, or
 * uses the one at AWS_ENDPOINT_URL; creates the topics, queues and subscriptions OUTBOX_ROUTES names
 * (FIFO where a name ends in `.fifo`); prints the environment to export for the app, the relay and the
 * consumers (also logged as one JSON line, `dev environment ready`); runs until SIGTERM/SIGINT.
 */
export async function dev(config: RelayCliConfig, logger: Logger, print: (line: string) => void, signals: NodeJS.EventEmitter = process): Promise<number> {
  const stop = waitForStopSignal(signals, logger);
  const rules = parseRoutes(config.routes!);
  const targets = devTargets(rules);
  let emulator: RunningEmulator | undefined;
  if (config.endpoint === undefined) emulator = await startEmulator('127.0.0.1', config.emulatorPort);
  try {
    const at: DevEndpoint = { endpoint: emulator?.endpoint ?? config.endpoint!, region: config.region, credentials: FAKE_CREDENTIALS };
    const resources = await createDevTopology(at, config.transport, targets).catch((error: unknown) => {
      if (emulator) throw error;
      throw new ConfigError('AWS_ENDPOINT_URL', `AWS_ENDPOINT_URL ${config.endpoint} did not take CreateQueue/CreateTopic (${(error as Error)?.message ?? String(error)}): start that emulator, or unset AWS_ENDPOINT_URL and outbox-relay dev starts one.`);
    });
    const environment = devEnvironment(at, rules, resources, destinationName);
    print(emulator ? `# outbox-relay dev: SNS/SQS emulator fauxqs ${emulator.version} at ${at.endpoint}; Ctrl-C stops it, and nothing it holds is kept.` : `# outbox-relay dev: using the SNS/SQS endpoint at ${at.endpoint}.`);
    for (const r of resources) print(r.topicArn ? `# topic ${r.topicArn}, read through queue ${r.queueUrl}` : `# queue ${r.queueUrl}`);
    print('# Export these where the app, the relay (outbox-relay run) and the consumers run:');
    for (const line of exportLines(environment)) print(line);
    logger.info('dev environment ready', { endpoint: at.endpoint, emulator: emulator ? `fauxqs ${emulator.version}` : null, transport: config.transport, resources, environment });
    logger.info('stopping', { signal: await stop });
    return 0;
  } finally {
    await emulator?.stop();
  }
}
