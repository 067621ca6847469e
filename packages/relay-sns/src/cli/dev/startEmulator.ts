import { MissingPeerDependencyError } from '../../optional/MissingPeerDependencyError.js';
import { listenFailure } from '../listenFailure.js';

/** The SNS/SQS emulator `outbox-relay dev` runs in its own process. */
export interface RunningEmulator {
  endpoint: string;
  /** The emulator's own version, for the first line `dev` prints. */
  version: string;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs (the emulator the project's tests run against) on `host:port` in this process.
 * @throws MissingPeerDependencyError when fauxqs is not installed (it is an optional dependency of
 *   @tx-outbox/outbox-relay); ConfigError naming OUTBOX_EMULATOR_PORT when the port is taken.
 */
export async function startEmulator(host: string, port: number): Promise<RunningEmulator> {
  let fauxqs: typeof import('fauxqs');
  try {
    fauxqs = await import('fauxqs');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new MissingPeerDependencyError('fauxqs', 'outbox-relay dev (the local SNS/SQS emulator)', { cause: error });
  }
  const server = await fauxqs.startFauxqs({ port, host, logger: false }).catch((error: unknown) => {
    throw listenFailure(error, { variable: 'OUTBOX_EMULATOR_PORT', flag: 'emulator-port', host, port }) ?? error;
  });
  return { endpoint: `http://${host}:${server.port}`, version: await fauxqsVersion(), stop: () => server.stop() };
}

/** fauxqs exports no package.json: read the one beside its entry point. */
async function fauxqsVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const manifest = new URL('../package.json', import.meta.resolve('fauxqs'));
  return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
}
