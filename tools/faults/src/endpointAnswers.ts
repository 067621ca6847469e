import { setTimeout as sleep } from 'node:timers/promises';
import type { Cast } from './Cast.js';
import type { ProxyAnswer } from './EndpointProxy.js';
import type { FaultRecord } from './RunCounters.js';

/** Switches the relays' endpoint proxy to `answer` every request itself for `ms`, then back; records the fault. */
export async function endpointAnswers(cast: Cast, kind: FaultRecord['kind'], answer: Exclude<ProxyAnswer, 'forward'>, ms: number, what: string): Promise<void> {
  const { proxy } = cast;
  const startedAt = Date.now();
  const before = proxy.answered[answer];
  proxy.answer = answer;
  await sleep(ms);
  proxy.answer = 'forward';
  cast.counters.faults.push({ kind, detail: `${ms} ms of ${what}, ${proxy.answered[answer] - before} requests answered so`, startedAt, endedAt: Date.now() });
}
