import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { RunCounters } from './RunCounters.js';
import type { ConsumerConfig } from './consumerProcess.js';
import { NEW_SUBJECT, ORDER_SUBJECT, REGION } from './names.js';
import type { ProducerConfig } from './producerProcess.js';
import type { ManagedChild, Supervisor } from './Supervisor.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
/** The sidecar exactly as a user runs it: the package's bin. */
const RELAY_BIN = fileURLToPath(new URL('../node_modules/@tx-outbox/outbox-relay/bin/outbox-relay.js', import.meta.url));

/** Where the relays publish and how: the defaults for everything that decides retries. */
export interface RelaySettings {
  databaseUrl: string;
  endpoint: string;
  topicArn: string;
  /** Whether the routes know the subject the rolling deploy introduces (rollingDeploy.ts): the new relay version. */
  newSubjectRouted?: boolean;
  /** Per relay name, its process clock's offset in ms (clockSkew.ts); others keep the true clock. */
  clockSkewsMs: Readonly<Record<string, number>>;
}

/** A running sidecar and the port of its /healthz, /readyz and /metrics (it picks a free one). */
export interface RelayChild extends ManagedChild {
  /** Resolves once the relay logged that it listens; never, if it dies before. */
  httpPort: Promise<number>;
  /**
   * Resolves once the relay logged that it runs; never, if it dies before. Until then a SIGTERM may
   * land before its signal handlers exist (a booting node process) and kill it instead of draining it.
   */
  started: Promise<void>;
}

/** The relay's log line once its HTTP endpoints listen; its `port` field is the bound port. */
const RELAY_LISTENING_LOG = 'outbox-relay listening';
/** The relay's log line once it runs (its signal handlers installed long before). */
const RELAY_STARTED_LOG = 'outbox-relay started';

/**
 * The sidecar's environment. Only the lease is shortened (a SIGKILLed relay's claims are taken over
 * after 5 s instead of 30 s), and with it the store deadline (3 s instead of 10 s, so it stays well
 * below the lease, and the pool's deadlines follow it: a silent database is noticed in seconds); the
 * retry policy (attempts, backoff) is left at its defaults on purpose: they must ride out the outages
 * without dead-lettering a healthy message.
 */
export function relayEnv(settings: RelaySettings): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: settings.databaseUrl,
    AWS_ENDPOINT_URL: settings.endpoint,
    AWS_REGION: REGION,
    OUTBOX_ROUTES: [ORDER_SUBJECT, ...(settings.newSubjectRouted ? [NEW_SUBJECT] : [])].map((subject) => `${subject}=${settings.topicArn}`).join(','),
    OUTBOX_LEASE_MS: '5000',
    OUTBOX_STORE_TIMEOUT_MS: '3000',
    OUTBOX_HTTP_PORT: '0',
    OUTBOX_LOG_LEVEL: 'info',
  };
}

/** Starts `outbox-relay run` as `name`; a relay of `settings.clockSkewsMs` runs with its clock shifted (skewClock.ts). */
export function spawnRelay(supervisor: Supervisor, name: string, settings: RelaySettings): RelayChild {
  let listening: (port: number) => void = () => {};
  const httpPort = new Promise<number>((resolve) => (listening = resolve));
  let running: () => void = () => {};
  const started = new Promise<void>((resolve) => (running = resolve));
  const onLine = (line: string) => {
    if (line.includes(RELAY_STARTED_LOG)) running();
    if (!line.includes(RELAY_LISTENING_LOG)) return;
    try {
      const port = (JSON.parse(line) as { port?: unknown }).port;
      if (typeof port === 'number') listening(port);
    } catch {
      // not a JSON log line (the log format is json here); no port to learn
    }
  };
  // The same object the supervisor tracks (its kills are matched by identity), with the two promises added.
  const skewMs = settings.clockSkewsMs[name];
  const args = skewMs === undefined ? [RELAY_BIN, 'run'] : ['--import', here('./skewClock.js'), RELAY_BIN, 'run'];
  const env = skewMs === undefined ? relayEnv(settings) : { ...relayEnv(settings), FAULTS_CLOCK_SKEW_MS: String(skewMs) };
  return Object.assign(supervisor.spawn(name, { args, env, onLine }), { httpPort, started });
}

/** Waits until `relay` runs (60 s at most), so the SIGTERM that follows finds its handlers. */
export async function untilStarted(relay: RelayChild): Promise<void> {
  await Promise.race([relay.started, relay.exited, sleep(60_000)]);
}

/** `outbox-relay migrate`: creates the outbox and inbox tables. Resolves with its exit code. */
export async function runMigrate(supervisor: Supervisor, databaseUrl: string): Promise<number | null> {
  const child = supervisor.spawn('migrate', { args: [RELAY_BIN, 'migrate'], env: { ...process.env, DATABASE_URL: databaseUrl } });
  return (await child.exited).code;
}

export function spawnProducer(supervisor: Supervisor, config: ProducerConfig, counters: RunCounters): ManagedChild {
  return supervisor.spawn('producer', { args: [here('./producerProcess.js'), JSON.stringify(config)], onEvent: counters.onProducerEvent });
}

export function spawnConsumer(supervisor: Supervisor, name: string, config: ConsumerConfig, counters: RunCounters): ManagedChild {
  return supervisor.spawn(name, { args: [here('./consumerProcess.js'), JSON.stringify(config)], onEvent: counters.consumerEventHandler(name) });
}
