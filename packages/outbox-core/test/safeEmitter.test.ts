// The relay's event emitter: a listener that throws or rejects is logged (naming the event) and
// the other listeners still run; unsubscribing works; the console logger forwards what it is given.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleRelayLogger } from '../src/relay/RelayLogger.js';
import { SafeEmitter } from '../src/relay/SafeEmitter.js';

type Events = { tick: number; other: string };

function emitter() {
  const logged: { message: string; context: unknown }[] = [];
  const e = new SafeEmitter<Events>({ error: (message, context) => void logged.push({ message, context }) });
  return { e, logged };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SafeEmitter', () => {
  it('calls every listener of an event, and none of another', () => {
    const { e, logged } = emitter();
    const seen: string[] = [];
    e.on('tick', (n) => void seen.push(`a${n}`));
    e.on('tick', (n) => void seen.push(`b${n}`));
    e.on('other', (s) => void seen.push(s));
    e.emit('tick', 1);
    expect(seen).toEqual(['a1', 'b1']);
    expect(logged).toEqual([]);
  });

  it('emits to nobody without error, before any listener and after the last one is removed', () => {
    const { e, logged } = emitter();
    expect(() => e.emit('tick', 1)).not.toThrow();
    expect(() => e.off('tick', () => {})).not.toThrow();
    const seen: number[] = [];
    const off = e.on('tick', (n) => void seen.push(n));
    e.emit('tick', 1);
    off();
    e.emit('tick', 2);
    expect(seen).toEqual([1]);
    expect(e.hasListeners('tick')).toBe(false);
    expect(logged).toEqual([]);
  });

  it('removes only the listener given to off', () => {
    const { e } = emitter();
    const seen: string[] = [];
    const a = (n: number) => void seen.push(`a${n}`);
    e.on('tick', a);
    e.on('tick', (n) => void seen.push(`b${n}`));
    e.off('tick', a);
    e.emit('tick', 1);
    expect(seen).toEqual(['b1']);
  });

  it('logs a listener that throws, naming the event, and still calls the others', () => {
    const { e, logged } = emitter();
    const seen: number[] = [];
    const boom = new Error('metrics bug');
    e.on('tick', () => {
      throw boom;
    });
    e.on('tick', (n) => void seen.push(n));
    e.emit('tick', 1);
    expect(seen).toEqual([1]);
    expect(logged).toEqual([{ message: 'A listener of "tick" threw; the relay goes on without it.', context: { error: boom } }]);
  });

  it('logs a listener that rejects, and nothing for one that returns normally', async () => {
    const { e, logged } = emitter();
    const boom = new Error('async bug');
    e.on('other', () => 'a value, not a promise');
    e.emit('other', 'x');
    e.on('tick', async () => {
      throw boom;
    });
    e.emit('tick', 1);
    await vi.waitFor(() => expect(logged).toEqual([{ message: 'A listener of "tick" threw; the relay goes on without it.', context: { error: boom } }]));
  });

  it('survives a logger that throws too', () => {
    const e = new SafeEmitter<Events>({
      error: () => {
        throw new Error('logger down');
      },
    });
    e.on('tick', () => {
      throw new Error('listener bug');
    });
    expect(() => e.emit('tick', 1)).not.toThrow();
  });
});

describe('consoleRelayLogger', () => {
  it('forwards the message and its context (or an empty string) to the console', () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    consoleRelayLogger.info('started');
    consoleRelayLogger.warn('slow', { ms: 5 });
    consoleRelayLogger.error('failed');
    expect(info).toHaveBeenCalledWith('started', '');
    expect(warn).toHaveBeenCalledWith('slow', { ms: 5 });
    expect(error).toHaveBeenCalledWith('failed', '');
  });
});
