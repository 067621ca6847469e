import type pg from 'pg';
import type { RunningPostgres, RunningStandby, SilentProxy } from '@tx-outbox/devkit';
import type { ConsumerConfig } from './consumerProcess.js';
import type { FaultsBroker } from './FaultsBroker.js';
import type { EndpointProxy } from './EndpointProxy.js';
import type { RelayChild, RelaySettings } from './processes.js';
import type { RunCounters } from './RunCounters.js';
import type { Scenario } from './scenario.js';
import type { ManagedChild, Supervisor } from './Supervisor.js';

/** Everything the faults act on: the processes by name, the servers, and the counters. */
export interface Cast {
  scenario: Scenario;
  supervisor: Supervisor;
  counters: RunCounters;
  /** The primary (until the database-failover scenario stops it). */
  postgres: RunningPostgres;
  /** The primary's synchronous streaming standby (promoted by the database-failover scenario). */
  standby: RunningStandby;
  broker: FaultsBroker;
  /** The proxy the relays reach the endpoint through (the forbidden-endpoint and throttling-storm scenarios switch it). */
  proxy: EndpointProxy;
  /**
   * The TCP proxy the relays reach PostgreSQL through, their database "name" (the silent-database
   * scenario silences it; read-only-standby and database-failover point it elsewhere).
   */
  databaseProxy: SilentProxy;
  /** The name the producer, the consumers and the orchestrator reach PostgreSQL by (database-failover moves it). */
  appProxy: SilentProxy;
  /** The orchestrator's own pool (tally, direct inserts). */
  pool: pg.Pool;
  relaySettings: RelaySettings;
  consumerConfig: ConsumerConfig;
  relays: Map<string, RelayChild>;
  /** While true, the random relay kills skip their turn (a scenario restarts the relays itself). */
  relayKillsPaused?: boolean;
  /** The random relay kill in progress (kill, pause, restart), if one is: pauseRelayKills() waits for it. */
  relayKillUnderWay?: Promise<void>;
  consumers: Map<string, ManagedChild>;
  producer: ManagedChild;
}
