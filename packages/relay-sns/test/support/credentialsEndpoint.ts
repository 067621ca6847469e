// A local container-credentials endpoint (what ECS's agent or EKS Pod Identity serves) that can be
// switched between failing and answering, counting the requests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTAINER_CREDENTIALS_UNAVAILABLE, containerCredentials, type RecordedAnswer } from '../fixtures/awsAnswers.js';

export interface CredentialsEndpoint {
  /** The URL for `AWS_CONTAINER_CREDENTIALS_FULL_URI`. */
  url: string;
  /** `fail`: 500 with an error document; `answer`: credentials valid for an hour. */
  mode: 'fail' | 'answer';
  requests: number;
  close(): Promise<void>;
}

export async function startCredentialsEndpoint(mode: CredentialsEndpoint['mode']): Promise<CredentialsEndpoint> {
  const server = http.createServer();
  const endpoint: CredentialsEndpoint = {
    url: '',
    mode,
    requests: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  server.on('request', (req, res) => {
    endpoint.requests++;
    const answer: RecordedAnswer = endpoint.mode === 'fail' ? CONTAINER_CREDENTIALS_UNAVAILABLE : containerCredentials(3_600);
    req.resume();
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/credentials/task-role`;
  return endpoint;
}
