import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The page a corporate proxy or firewall answers with: HTML, not an AWS error document. */
const FORBIDDEN_PAGE = '<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1><p>Access denied by proxy policy.</p></body></html>';

/** SNS's (query protocol) answer when a caller goes over its rate: 400 with the code `Throttling`. */
const THROTTLING_XML =
  '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>Throttling</Code>' +
  '<Message>Rate exceeded</Message></Error><RequestId>faults-throttling</RequestId></ErrorResponse>';

/** What the proxy does with a request: pass it on, or answer it itself as a faulty environment would. */
export type ProxyAnswer = 'forward' | 'forbidden' | 'throttling';

/** An answer of AWS's, in its wire form, given to the requests `matches` picks (all when it is absent). */
export interface ReplayedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Reads the request body (form-encoded for SNS): only these requests get the answer. */
  matches?: (body: string) => boolean;
}

/**
 * A tiny HTTP proxy in front of the SNS/SQS endpoint that can switch to answering every request
 * itself: `403 text/html` (a misconfigured proxy or firewall) or `400 Throttling` (a throttling storm),
 * or the requests of one route with a recorded AWS answer (`replay`).
 * The relays talk to it instead of the endpoint; while it answers, no request reaches the endpoint.
 */
export class EndpointProxy {
  answer: ProxyAnswer = 'forward';
  /** While set (and `answer` is `forward`), the requests it matches get this recorded AWS answer. */
  replay: ReplayedAnswer | undefined;
  /** Requests the proxy answered itself, by answer. */
  readonly answered = { forbidden: 0, throttling: 0, replayed: 0 };

  private constructor(private readonly server: http.Server) {}

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Listens on a free port of 127.0.0.1 and forwards to `target` (an `http://host:port` URL). */
  static async start(target: string): Promise<EndpointProxy> {
    const upstream = new URL(target);
    const server = http.createServer();
    const proxy = new EndpointProxy(server);
    server.on('request', (req, res) => {
      const answer = proxy.answer;
      if (answer !== 'forward') {
        proxy.answered[answer]++;
        req.resume();
        if (answer === 'forbidden') res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' }).end(FORBIDDEN_PAGE);
        else res.writeHead(400, { 'content-type': 'text/xml', 'x-amzn-requestid': 'faults-throttling' }).end(THROTTLING_XML);
        return;
      }
      const forward = () => {
        const request = http.request(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
          (reply) => {
            res.writeHead(reply.statusCode ?? 502, reply.headers);
            reply.pipe(res);
          },
        );
        // The endpoint down (the broker-outage fault): the client sees its connection cut, as without the proxy.
        request.on('error', () => res.destroy());
        return request;
      };
      const replay = proxy.replay;
      if (!replay) {
        req.pipe(forward());
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (replay.matches && !replay.matches(body.toString('utf8'))) {
          forward().end(body);
          return;
        }
        proxy.answered.replayed++;
        res.writeHead(replay.status, { 'x-amzn-requestid': 'faults-replayed', ...replay.headers }).end(replay.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
