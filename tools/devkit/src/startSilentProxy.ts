import { createServer, connect, type Socket } from 'node:net';
import { track } from './leakGuard.js';

/**
 * A TCP proxy on 127.0.0.1 in front of a server, that a test can make go silent (a network partition)
 * or point at another server (a DNS name that moves, as in a failover).
 */
export interface SilentProxy {
  /** Port the proxy listens on (127.0.0.1). */
  readonly port: number;
  /** Where new connections go now. */
  readonly target: { host: string; port: number };
  /**
   * Sends new connections to `target` from now on, as a DNS name that moves: connections already open
   * stay with the server they reached, unless `cut` is set (the old server went away with them).
   */
  moveTo(target: { host: string; port: number }, options?: { cut?: boolean }): void;
  /** Keeps every socket open but drops the bytes in both directions: peers hear nothing, nothing fails. */
  silence(): void;
  /**
   * Forwards again. Connections that lived through the silence lost bytes mid-protocol, so they are cut
   * (as a partition that ends with resets); new connections work.
   */
  resume(): void;
  /** Closes the listener and every connection. */
  close(): Promise<void>;
  /** False once closed (the leak guard reads it). */
  readonly running: boolean;
}

/**
 * Starts a {@link SilentProxy} to `initialTarget` (`host:port`), e.g. in front of the test PostgreSQL, to
 * test what the code does when a connection stops answering without closing, or when the server behind
 * a name changes. Tracked by the leak guard.
 */
export async function startSilentProxy(initialTarget: { host: string; port: number }): Promise<SilentProxy> {
  let silent = false;
  let target = { ...initialTarget };
  const open = new Set<{ client: Socket; upstream: Socket; heardSilence: boolean }>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const pair = { client, upstream, heardSilence: silent };
    open.add(pair);
    const forward = (to: Socket) => (chunk: Buffer) => {
      if (!silent) to.write(chunk);
    };
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    const end = () => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const destroyAll = (which: (pair: { heardSilence: boolean }) => boolean) => {
    for (const pair of [...open]) if (which(pair)) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
  };
  let running = true;
  const proxy: SilentProxy = {
    port,
    get running() {
      return running;
    },
    get target() {
      return { ...target };
    },
    moveTo(next, options = {}) {
      target = { ...next };
      if (options.cut) destroyAll(() => true);
    },
    silence() {
      silent = true;
      for (const pair of open) pair.heardSilence = true;
    },
    resume() {
      silent = false;
      destroyAll((pair) => pair.heardSilence);
    },
    close: () =>
      new Promise<void>((resolve) => {
        running = false;
        destroyAll(() => true);
        server.close(() => resolve());
      }),
  };
  return track(proxy, 'silent proxy');
}
