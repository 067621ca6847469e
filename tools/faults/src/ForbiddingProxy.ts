import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The page a corporate proxy or firewall answers with: HTML, not an AWS error document. */
const FORBIDDEN_PAGE = '<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1><p>Access denied by proxy policy.</p></body></html>';

/**
 * A tiny HTTP proxy in front of the SNS/SQS endpoint that can switch to answering every request
 * `403 text/html`, as a misconfigured proxy or firewall does. The relays talk to it instead of the
 * endpoint; while it forbids, no request reaches the endpoint.
 */
export class ForbiddingProxy {
  /** While true, every request gets the 403 HTML page. */
  forbidding = false;
  /** Requests answered 403 since the start. */
  forbidden = 0;

  private constructor(private readonly server: http.Server) {}

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Listens on a free port of 127.0.0.1 and forwards to `target` (an `http://host:port` URL). */
  static async start(target: string): Promise<ForbiddingProxy> {
    const upstream = new URL(target);
    const server = http.createServer();
    const proxy = new ForbiddingProxy(server);
    server.on('request', (req, res) => {
      if (proxy.forbidding) {
        proxy.forbidden++;
        req.resume();
        res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' }).end(FORBIDDEN_PAGE);
        return;
      }
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      // The endpoint down (the broker-outage fault): the client sees its connection cut, as without the proxy.
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
