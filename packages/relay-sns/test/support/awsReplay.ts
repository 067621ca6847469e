// A local HTTP endpoint that answers as AWS does, from recorded answers (fixtures/awsAnswers.ts), and
// passes every other request on to the real endpoint of the global setup.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedAnswer } from '../fixtures/awsAnswers.js';

/** One request the replay saw: its body as sent (form-encoded for SNS, JSON for SQS) and its headers. */
export interface ReplayRequest {
  body: string;
  headers: http.IncomingHttpHeaders;
}

export interface AwsReplay {
  endpoint: string;
  /** Every request, answered or passed on. */
  requests: ReplayRequest[];
  close(): Promise<void>;
}

/**
 * Starts the replay on 127.0.0.1. `answer` decides per request: a recorded answer to send back as is,
 * or `undefined` to forward it to `forwardTo` (an `http://host:port` URL; without one, a 500).
 */
export async function startAwsReplay(answer: (request: ReplayRequest) => RecordedAnswer | undefined, forwardTo?: string): Promise<AwsReplay> {
  const requests: ReplayRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request = { body: body.toString('utf8'), headers: req.headers };
      requests.push(request);
      const recorded = answer(request);
      if (recorded) {
        res.writeHead(recorded.status, { 'x-amzn-requestid': 'replayed-answer', ...recorded.headers }).end(recorded.body);
        return;
      }
      if (!forwardTo) {
        res.writeHead(500).end();
        return;
      }
      const upstream = new URL(forwardTo);
      const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
