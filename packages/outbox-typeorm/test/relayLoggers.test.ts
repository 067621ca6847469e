// The logger adapters with the real loggers: the context object (and an error's stack and cause) must arrive.
import { ConsoleLogger } from '@nestjs/common';
import { Relay, nestRelayLogger, pinoRelayLogger } from '@tx-outbox/outbox-core';
import { consoleRelayLogger } from '@tx-outbox/outbox-core/internal';
import { InMemoryOutboxStore, TestTransport, waitFor } from '@tx-outbox/outbox-core/testing';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';

function pinoLines() {
  const lines: Array<Record<string, any>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const failure = () => new Error('PublishBatch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });

afterEach(() => vi.restoreAllMocks());

describe('pinoRelayLogger', () => {
  it("writes the context as pino's object and the error under err, with its stack and cause", () => {
    const { logger, lines } = pinoLines();
    pinoRelayLogger(logger).warn('publish failed', { messageId: 'm-1', attempts: 3, error: failure() });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'publish failed', messageId: 'm-1', attempts: 3 });
    expect(lines[0]!.err).toMatchObject({ type: 'Error', message: expect.stringContaining('PublishBatch failed') });
    expect(lines[0]!.err.stack).toMatch(/PublishBatch failed[\s\S]*caused by: Error: socket hang up/);
  });

  it("carries a running Relay's own warning with its stage and error", async () => {
    const { logger, lines } = pinoLines();
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    transport.throwNext(1, failure());
    const relay = new Relay({ store, transport, logger: pinoRelayLogger(logger) });
    store.add({ subject: 's', body: {} });
    await relay.runOnce();
    await relay.stop();
    const line = await waitFor(() => lines.find((l) => l.stage === 'publish'));
    expect(line.level).toBe(40);
    expect(line.err.stack).toContain('PublishBatch failed');
  });
});

describe('nestRelayLogger', () => {
  it("hands Nest's ConsoleLogger one object with the message, the context and the error's stack and cause", () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    const logger = nestRelayLogger(new ConsoleLogger('OutboxRelay', { json: true }));
    logger.info('relay started', { relayId: 'r-1' });
    logger.error('message dead-lettered', { messageId: 'm-2', error: failure() });
    vi.restoreAllMocks();
    const [info, error] = out.map((line) => JSON.parse(line));
    expect(info).toMatchObject({ level: 'log', context: 'OutboxRelay', message: { message: 'relay started', relayId: 'r-1' } });
    expect(error).toMatchObject({ level: 'error', message: { message: 'message dead-lettered', messageId: 'm-2', error: { name: 'Error', message: 'PublishBatch failed' } } });
    expect(error.message.error.cause).toMatchObject({ message: 'socket hang up' });
    expect(error.message.error.stack).toContain('PublishBatch failed');
  });
});

describe('consoleRelayLogger', () => {
  it('passes the context object to console as the second argument', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const context = { messageId: 'm-3', error: failure() };
    consoleRelayLogger.warn('publish failed', context);
    expect(warn).toHaveBeenCalledWith('publish failed', context);
  });
});
