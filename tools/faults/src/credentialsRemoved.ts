// The credentials-removed scenario: for a while every call of the relays is refused as AWS refuses a
// deleted access key, `403 InvalidClientTokenId`, then the key works again. Credentials that do not work
// are the transport's fault, not a route's nor a message's: every relay must block the whole transport
// once (a `route blocked` line for `(credentials) SnsTransport`), give every message back without using a
// try, dead-letter none, and publish them all once the key works. (A credential provider failing, then
// recovering, is tested through the SDK's real providers in relay-sns/test/cliCredentials.test.ts.)
import { setTimeout as sleep } from 'node:timers/promises';
import { CREDENTIALS_REMOVED } from './awsRecordedAnswers.js';
import type { Cast } from './Cast.js';

/** The route the relays name a transport-wide credentials block by. */
export const CREDENTIALS_ROUTE = '(credentials) SnsTransport';

/** Replays 403 InvalidClientTokenId for every call for `credentialsRemovedMs`, then forwards again; records the fault. */
export async function credentialsRemoved(cast: Cast): Promise<void> {
  const { proxy } = cast;
  const startedAt = Date.now();
  const before = proxy.answered.replayed;
  proxy.replay = CREDENTIALS_REMOVED;
  await sleep(cast.scenario.credentialsRemovedMs);
  proxy.replay = undefined;
  cast.counters.faults.push({
    kind: 'credentials-removed',
    detail: `${cast.scenario.credentialsRemovedMs} ms of 403 InvalidClientTokenId for every call, ${proxy.answered.replayed - before} calls answered so`,
    startedAt,
    endedAt: Date.now(),
  });
}
