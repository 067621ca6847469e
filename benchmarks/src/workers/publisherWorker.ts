// A publisher in its own process for publisher-scale, driven by the parent over stdio: prints
// {"ready":true}; on "run <kind> <ms>" runs `connections` loops of that kind of @Transactional()
// transaction for <ms> and prints a PublisherSlotReport; on "repeat <kind> <count>" runs <count> of them
// one at a time; on "profile <kind> <count> <file>" the same under the V8 CPU profiler (inspector, 100 µs
// sampling), writing the .cpuprofile; leaves on "stop" (or when stdin closes).
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { openOrderService } from '../support/orderService.js';
import { FILLER_BYTES } from '../sql/seedMessages.js';
import type { PublisherKind, PublisherSlotReport, PublisherWorkerConfig } from './PublisherWorkerConfig.js';

const config = JSON.parse(process.argv[2]!) as PublisherWorkerConfig;
const service = await openOrderService(config.databaseUrl, 'bench-publisher-scale', config.connections);
const body = (n: number) => ({ orderId: n, kind: 'order.created', data: 'x'.repeat(FILLER_BYTES) });
const transaction: Record<PublisherKind, (n: number) => Promise<unknown>> = {
  alone: (n) => service.placeOrder(n),
  sendEvent: (n) => service.placeOrderWithEvent(n, body(n)),
  floor: (n) => service.placeOrderWithFloorRow(n, body(n)),
  silent: (n) => service.placeOrderWithSilentEvent(n, body(n)),
};
let counter = 0;

/** `loops` transactions of `kind` at a time until `until()` says stop; one report for all of them. */
async function runSlot(kind: PublisherKind, loops: number, until: (done: number) => boolean): Promise<PublisherSlotReport> {
  const latencyMs: number[] = [];
  let failed = 0;
  const cpuAtStart = process.cpuUsage();
  const start = performance.now();
  const loop = async () => {
    while (!until(latencyMs.length + failed)) {
      const t0 = performance.now();
      try {
        await transaction[kind](counter++);
        latencyMs.push(performance.now() - t0);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: loops }, loop));
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuAtStart);
  return { kind, transactions: latencyMs.length, failed, latencyMs, elapsedMs, cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system };
}

async function profileSlot(kind: PublisherKind, count: number, file: string): Promise<PublisherSlotReport> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const report = await runSlot(kind, 1, (done) => done >= count);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  return report;
}

process.stdout.write(JSON.stringify({ ready: true }) + '\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await service.close();
  process.stdout.write(JSON.stringify({ stopped: true }) + '\n', () => process.exit(0));
};
const reply = (report: Promise<PublisherSlotReport>) =>
  void report.then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (error: unknown) => {
      process.stderr.write(`publisher worker: ${String(error)}\n`);
      process.exit(1);
    },
  );
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [command, kind, arg, file] = line.split(' ') as [string, PublisherKind, string, string];
  if (command === 'run') {
    const deadline = performance.now() + Number(arg);
    reply(runSlot(kind, config.connections, () => performance.now() >= deadline));
  }
  if (command === 'repeat') reply(runSlot(kind, 1, (done) => done >= Number(arg)));
  if (command === 'profile') reply(profileSlot(kind, Number(arg), file));
  if (command === 'stop') void stop();
});
lines.on('close', () => void stop());
