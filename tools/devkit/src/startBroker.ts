import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface RunningBroker {
  /** SNS/SQS endpoint URL (e.g. http://127.0.0.1:4566). */
  endpoint: string;
  owned: boolean;
  /** Stops the endpoint (no-op for an external one). */
  stop(): Promise<void>;
  /** Child process pid, when it runs in its own process. */
  pid?: number;
}

export interface StartBrokerOptions {
  /** Ignore AWS_ENDPOINT_URL and always start a local endpoint. */
  forceLocal?: boolean;
  /** Run the endpoint in its own process (test runs, benchmarks, fault tests) instead of this one. */
  ownProcess?: boolean;
  /** Fixed port (to restart an endpoint where clients expect it). */
  port?: number;
}

/** Sets the fake credentials and region a local endpoint needs, unless the user set their own. */
export function useLocalAwsDefaults(): void {
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/**
 * A real SNS/SQS HTTP endpoint: `AWS_ENDPOINT_URL` if set, else fauxqs on a free port of 127.0.0.1
 * (in this process, or in its own with `ownProcess`).
 */
export async function startBroker(options: StartBrokerOptions = {}): Promise<RunningBroker> {
  useLocalAwsDefaults();
  const external = process.env.AWS_ENDPOINT_URL;
  if (external && !options.forceLocal) return { endpoint: external, owned: false, stop: async () => {} };
  if (options.ownProcess) return startBrokerProcess(options.port ?? 0);
  const { startFauxqs } = await import('fauxqs');
  const server = await startFauxqs({ port: options.port ?? 0, host: '127.0.0.1', logger: false });
  return { endpoint: `http://127.0.0.1:${server.port}`, owned: true, stop: () => server.stop() };
}

async function startBrokerProcess(port: number): Promise<RunningBroker> {
  const script = fileURLToPath(new URL('./brokerProcess.js', import.meta.url));
  const child = spawn(process.execPath, [script, String(port), String(process.pid)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`SNS/SQS endpoint process exited with code ${code}`)));
  });
  const { port: actual } = JSON.parse(line) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    owned: true,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
