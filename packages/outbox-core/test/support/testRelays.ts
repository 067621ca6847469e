import { afterEach } from 'vitest';
import { Relay } from '../../src/relay/Relay.js';
import type { RelayOptions } from '../../src/relay/RelayOptions.js';

/** What the test relays logged (info and above), cleared after each test. */
export const logged: { level: string; message: string }[] = [];

export const logger = {
  debug: () => {},
  info: (message: string) => void logged.push({ level: 'info', message }),
  warn: (message: string) => void logged.push({ level: 'warn', message }),
  error: (message: string) => void logged.push({ level: 'error', message }),
};

const relays: Relay[] = [];

/** A relay with a recording logger and no stats timer, stopped after the test. */
export function relay(options: Partial<RelayOptions> & Pick<RelayOptions, 'store' | 'transport'>): Relay {
  const r = new Relay({ logger, relayId: `relay-${relays.length}`, statsIntervalMs: 0, ...options });
  relays.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
  logged.length = 0;
});
