import { ConfigError } from './ConfigError.js';

/**
 * A server that could not listen because of its setting (the port is taken, or below 1024 without the
 * right), as a ConfigError naming the variable; undefined for any other error. A second sidecar on one
 * host is the usual cause, so the message says how to give each its own port.
 */
export function listenFailure(error: unknown, at: { variable: string; flag: string; host: string; port: number; hostVariable?: string }): ConfigError | undefined {
  const code = (error as { code?: unknown })?.code;
  const where = `${at.host}:${at.port}`;
  if (code === 'EADDRINUSE') {
    return new ConfigError(
      at.variable,
      `${at.variable} (--${at.flag}) ${at.port} is in use on ${at.host} (${where}: EADDRINUSE), by another outbox-relay or another program: give each its own port with ${at.variable}, or 0 to pick a free one.`,
    );
  }
  if (code === 'EACCES') {
    return new ConfigError(at.variable, `${at.variable} (--${at.flag}) ${at.port} may not be bound by this user on ${at.host} (${where}: EACCES): use a port above 1023, or 0 to pick a free one.`);
  }
  if (code === 'EADDRNOTAVAIL' && at.hostVariable) {
    return new ConfigError(at.hostVariable, `${at.hostVariable} ${at.host} is no address of this host (${where}: EADDRNOTAVAIL): use 127.0.0.1, 0.0.0.0 or one of its own addresses.`);
  }
  return undefined;
}
