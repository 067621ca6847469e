// The throttling-storm scenario: for a while every call to the relays' endpoint is refused with SNS's
// `400 Throttling`. That is transient: the relays retry with backoff (the SDK's retries, then the
// relay's), and with the default retry policy a storm of seconds must dead-letter nothing; everything
// goes out once it ends. The report says how long healthy traffic was held up (heldUpMs.ts).
import type { Cast } from './Cast.js';
import { endpointAnswers } from './endpointAnswers.js';

/** Switches the relays' endpoint proxy to `400 Throttling` for `throttlingMs`, then back; records the fault. */
export function throttlingStorm(cast: Cast): Promise<void> {
  return endpointAnswers(cast, 'throttling-storm', 'throttling', cast.scenario.throttlingMs, '400 Throttling');
}
