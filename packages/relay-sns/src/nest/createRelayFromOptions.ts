import { InvalidOptionError, Relay, type OutboxStore, type Transport } from '@tx-outbox/outbox-core';
import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import { checkTargets } from '../cli/checkTargets.js';
import { parseRoutes } from '../cli/parseRoutes.js';
import { routesToTarget } from '../cli/routesToTarget.js';
import { SnsTransport } from '../sns/SnsTransport.js';
import { SqsTransport } from '../sqs/SqsTransport.js';
import type { OutboxRelayModuleOptions } from './OutboxRelayModuleOptions.js';

/**
 * The `Relay` an `OutboxRelayModule` runs, built the way the sidecar builds its own: routes parsed and
 * checked against the transport by the sidecar's own functions.
 *
 * @throws InvalidOptionError naming the option; ConfigError for routes that do not parse or fit.
 */
export function createRelayFromOptions(options: OutboxRelayModuleOptions): { relay: Relay; store: OutboxStore } {
  const { dataSource, pool, store: givenStore, tableName, schema, routes, transportType = 'sns', region, endpoint, maxMessageBytes, claimCheck, transport: givenTransport, shutdownTimeoutMs: _, retentionIntervalMs: _i, ...relayOptions } =
    options ?? ({} as OutboxRelayModuleOptions);
  if ([dataSource, pool, givenStore].filter((x) => x !== undefined).length !== 1) {
    throw new InvalidOptionError('dataSource', 'exactly one of dataSource (the app DataSource), pool or store', { dataSource, pool, store: givenStore });
  }
  if ((routes === undefined) === (givenTransport === undefined)) {
    throw new InvalidOptionError('routes', 'exactly one of routes (as OUTBOX_ROUTES) or transport', { routes, transport: givenTransport });
  }
  if (givenTransport && (maxMessageBytes !== undefined || claimCheck !== undefined)) {
    throw new InvalidOptionError(maxMessageBytes !== undefined ? 'maxMessageBytes' : 'claimCheck', 'left out with `transport` (give them to your transport)', maxMessageBytes ?? claimCheck);
  }
  const store = givenStore ?? new PostgresOutboxStore({ ...(dataSource ? { dataSource } : { pool: pool! }), tableName, schema });
  let transport: Transport;
  if (givenTransport) transport = givenTransport;
  else {
    const route = routesToTarget(checkTargets(parseRoutes(routes!, 'routes'), transportType));
    // Routes given as text (the sidecar's syntax) are reported in it, under the module's option name.
    const aws = { region, endpoint, maxMessageBytes, claimCheck, routes: route, routesSetting: 'the routes option' };
    transport = transportType === 'sqs' ? new SqsTransport(aws) : new SnsTransport(aws);
  }
  return { relay: new Relay({ ...relayOptions, store, transport }), store };
}
