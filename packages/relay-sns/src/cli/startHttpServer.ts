import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenFailure } from './listenFailure.js';

export interface HttpEndpoints {
  /** Liveness: the process is up and its loop is not wedged. */
  healthy(): boolean;
  /** Readiness (RelayReadiness.ts): `/readyz` answers it as JSON, 200 when `ready`, else 503. */
  readiness(): { ready: boolean };
  /** The metrics text and its content type. */
  metrics(): Promise<{ text: string; contentType: string }>;
}

/**
 * `/healthz`, `/readyz` and `/metrics` on host:port. Resolves once listening, with the bound port.
 * @throws ConfigError naming OUTBOX_HTTP_PORT when the port is taken (EADDRINUSE) or refused (EACCES).
 */
export async function startHttpServer(host: string, port: number, endpoints: HttpEndpoints): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const status = (ok: boolean) => {
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'not ready\n');
    };
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (path === '/healthz') return status(endpoints.healthy());
    if (path === '/readyz') {
      const readiness = endpoints.readiness();
      return void res.writeHead(readiness.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(readiness) + '\n');
    }
    if (path === '/metrics') {
      return void endpoints.metrics().then(
        ({ text, contentType }) => res.writeHead(200, { 'content-type': contentType }).end(text),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
      );
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz, /readyz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenFailure(error, { variable: 'OUTBOX_HTTP_PORT', flag: 'http-port', host, port, hostVariable: 'OUTBOX_HTTP_HOST' }) ?? error));
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
