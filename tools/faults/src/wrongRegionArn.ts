// The wrong-region-arn scenario: for a while SNS answers the order route's calls as it answers a topic
// ARN of another region: `400 InvalidParameter` "Invalid parameter: TopicArn" (what real SNS says; the
// emulators say 404 NotFound), then the route is fixed. The code alone reads like a bad message; the
// parameter it names is the route's target, so the relays must block the route (a `route blocked` line
// with code InvalidParameter), give its messages back without using a try, dead-letter none, and publish
// them all once it is fixed. The report says how long healthy traffic was held up (heldUpMs.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { TOPIC_OF_ANOTHER_REGION } from './awsRecordedAnswers.js';
import type { Cast } from './Cast.js';

/** Replays the wrong-region answer for the calls to the order topic for `wrongRegionMs`, then forwards again; records the fault. */
export async function wrongRegionArn(cast: Cast): Promise<void> {
  const { proxy } = cast;
  const topicArn = cast.relaySettings.topicArn;
  const startedAt = Date.now();
  const before = proxy.answered.replayed;
  proxy.replay = { ...TOPIC_OF_ANOTHER_REGION, matches: (body) => new URLSearchParams(body).get('TopicArn') === topicArn };
  await sleep(cast.scenario.wrongRegionMs);
  proxy.replay = undefined;
  cast.counters.faults.push({
    kind: 'wrong-region-arn',
    detail: `${cast.scenario.wrongRegionMs} ms of 400 InvalidParameter "Invalid parameter: TopicArn" for ${topicArn}, ${proxy.answered.replayed - before} calls answered so`,
    startedAt,
    endedAt: Date.now(),
  });
}
