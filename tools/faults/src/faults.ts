import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { notifyChannel } from '@tx-outbox/outbox-typeorm/internal';
import type { Cast } from './Cast.js';
import { POISON_SUBJECT } from './names.js';
import { spawnConsumer, spawnRelay, untilStarted } from './processes.js';
import type { FaultRecord } from './RunCounters.js';

const random = (min: number, max: number) => min + Math.random() * (max - min);

async function recorded(cast: Cast, kind: FaultRecord['kind'], detail: string, fault: () => Promise<string | void>): Promise<void> {
  const startedAt = Date.now();
  const more = await fault();
  cast.counters.faults.push({ kind, detail: more ? `${detail}: ${more}` : detail, startedAt, endedAt: Date.now() });
}

/**
 * SIGKILLs a random relay at random moments (around every `relayKillEveryMs`) and restarts it after
 * a short pause, until `stop()` returns true.
 */
export async function killRelaysAtRandom(cast: Cast, stop: () => boolean): Promise<void> {
  const mean = cast.scenario.relayKillEveryMs;
  for (;;) {
    await sleep(random(0.5 * mean, 1.5 * mean));
    if (stop()) return;
    if (cast.relayKillsPaused) continue;
    const names = [...cast.relays.keys()];
    const name = names[Math.floor(Math.random() * names.length)]!;
    cast.relayKillUnderWay = recorded(cast, 'relay-sigkill', name, async () => {
      await cast.supervisor.kill(cast.relays.get(name)!, 'SIGKILL');
      await sleep(random(200, 1500));
      cast.relays.set(name, spawnRelay(cast.supervisor, name, cast.relaySettings));
    });
    await cast.relayKillUnderWay;
    cast.relayKillUnderWay = undefined;
  }
}

/**
 * Pauses the random relay kills for a scenario that stops and starts relays itself, and waits for a
 * kill under way to have restarted its relay (else the scenario would stop a relay already killed, and
 * the kill would then start a second one of that name beside the scenario's), and for every relay to listen.
 */
export async function pauseRelayKills(cast: Cast): Promise<void> {
  cast.relayKillsPaused = true;
  await cast.relayKillUnderWay;
  // A relay that kill just started may still be booting: a SIGTERM before its signal handlers are in
  // place would kill it instead of stopping it.
  await Promise.all([...cast.relays.values()].map(untilStarted));
}

/**
 * Poison messages, bad in themselves and so the only ones the relay may dead-letter: one whose body is
 * over what SNS carries inline at most (1 MiB) and one with more headers than SNS takes as attributes, both inserted straight
 * into the outbox table (the publisher refuses either). A subject without a route is no poison: it
 * blocks its route until a relay has one (see the rolling-deploy scenario).
 */
export async function injectPoison(cast: Cast): Promise<void> {
  await recorded(cast, 'poison', 'oversize body + too many headers', async () => {
    const headers = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`h${i}`, 'v']));
    const rows = [
      // Over 1 MiB, what no topic or queue carries inline (a message only over its topic's limit waits instead).
      { kind: 'oversize' as const, payload: { poison: 'oversize', pad: 'x'.repeat(1_100_000) }, headers: {} },
      { kind: 'attributes' as const, payload: { poison: 'attributes' }, headers },
    ];
    for (const row of rows) {
      const id = randomUUID();
      // $1 uuid id, $2 text subject, $3 text payload, $4 text headers
      await cast.pool.query('INSERT INTO outbox (id, subject, payload, headers) VALUES ($1, $2, $3::jsonb, $4::jsonb)', [
        id,
        POISON_SUBJECT,
        JSON.stringify(row.payload),
        JSON.stringify(row.headers),
      ]);
      cast.counters.poisonIds.push({ id, kind: row.kind });
    }
    // $1 text channel
    await cast.pool.query(`SELECT pg_notify($1, '')`, [notifyChannel({})]);
  });
}

/**
 * Stops the SNS/SQS endpoint for `brokerOutageMs` and starts it again on the same port.
 *
 * fauxqs loses its queued messages with its process, which a real SNS/SQS outage does not. So the
 * endpoint is killed at a moment when nothing is queued: the producer pauses, the relays publish the
 * backlog, the consumers empty the queue; then the endpoint dies, the producer resumes at once and
 * every relay meets connection errors for the whole outage while the backlog grows.
 */
export async function brokerOutage(cast: Cast): Promise<void> {
  const { counters, broker, producer } = cast;
  await recorded(cast, 'broker-outage', `${cast.scenario.brokerOutageMs} ms`, async () => {
    counters.producerPaused = false;
    producer.send('pause');
    await counters.until(() => counters.producerPaused || counters.producerDone);
    const deadline = Date.now() + 60_000;
    let quiet = false;
    while (!quiet && Date.now() < deadline) {
      const pending = Number((await cast.pool.query('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL')).rows[0].n);
      quiet = pending === 0 && (await broker.queuedMessages()) === 0;
      if (!quiet) await sleep(100);
    }
    await broker.kill();
    producer.send('resume');
    await sleep(cast.scenario.brokerOutageMs);
    await broker.startProcess();
    return quiet ? 'killed with an empty queue' : 'queue did not empty within 60 s before the kill';
  });
}

/** Fast-stops PostgreSQL and starts it again (same data, same port); every process must ride it out. */
export async function restartPostgres(cast: Cast): Promise<void> {
  await recorded(cast, 'postgres-restart', 'fast shutdown + start', async () => {
    await cast.postgres.restart!();
  });
}

/**
 * Waits for a consumer to enter a slow handler (its `handled` row written, its transaction open),
 * SIGKILLs that consumer there, and restarts it after a second.
 */
export async function killConsumerMidHandler(cast: Cast): Promise<void> {
  await recorded(cast, 'consumer-sigkill-mid-handler', 'waiting for a slow handler', async () => {
    const slow = await Promise.race([cast.counters.nextSlowHandler(), sleep(60_000).then(() => undefined)]);
    if (!slow) throw new Error('no consumer entered a slow handler within 60 s; the consumer kill could not be placed');
    const { ref, consumer } = slow;
    await cast.supervisor.kill(cast.consumers.get(consumer)!, 'SIGKILL');
    await sleep(1_000);
    cast.consumers.set(consumer, spawnConsumer(cast.supervisor, consumer, cast.consumerConfig, cast.counters));
    return `${consumer} killed while handling ${ref}`;
  });
}
