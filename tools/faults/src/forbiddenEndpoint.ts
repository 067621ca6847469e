// The forbidden-endpoint scenario: for a while the relays' SNS/SQS endpoint answers 403 with an HTML
// page (a proxy or firewall in the way). That is a destination error, not a message error: the relays
// must block the route and give its messages back without using up an attempt, so nothing is
// dead-lettered, and publish everything once the endpoint answers again. Besides the run's usual end
// checks, the relays must have said the route was blocked, and the report says how long the messages
// committed during the fault waited to be published (heldUpMs.ts).
import type { Cast } from './Cast.js';
import { endpointAnswers } from './endpointAnswers.js';

/** The relays' log line when a route becomes blocked (see `outbox-relay run`). */
export const ROUTE_BLOCKED_LOG = 'route blocked';

/** Switches the relays' endpoint proxy to 403 text/html for `forbiddenMs`, then back; records the fault. */
export function forbiddenEndpoint(cast: Cast): Promise<void> {
  return endpointAnswers(cast, 'forbidden-endpoint', 'forbidden', cast.scenario.forbiddenMs, '403 text/html');
}
