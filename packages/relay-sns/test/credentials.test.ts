// Credentials that do not work block the whole transport, not one route, and never use up a try: the
// real SDK credential providers (the container provider, web identity against a local STS replaying
// AWS's answers) first fail, then recover.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { fromTokenFile } from '@aws-sdk/credential-provider-web-identity';
import { SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { isCredentialsError, SnsTransport } from '../src/index.js';
import { STS_EXPIRED_WEB_IDENTITY_TOKEN, STS_NOT_AUTHORIZED_TO_ASSUME_ROLE, stsWebIdentityCredentials, type RecordedAnswer } from './fixtures/awsAnswers.js';
import { awsConfig, createTopic, outboxMessage } from './support/aws.js';
import { startAwsReplay } from './support/awsReplay.js';
import { startCredentialsEndpoint } from './support/credentialsEndpoint.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const undo of cleanups.splice(0).reverse()) await undo();
});

async function twoTopics(): Promise<{ a: string; b: string }> {
  const sns = new SNSClient(awsConfig());
  cleanups.push(() => sns.destroy());
  return { a: await createTopic(sns, 'creds-a'), b: await createTopic(sns, 'creds-b') };
}

describe('credentials block the transport, every route, until they work', () => {
  it('the container credentials provider failing, then answering', async () => {
    const { a, b } = await twoTopics();
    const creds = await startCredentialsEndpoint('fail');
    cleanups.push(() => creds.close());
    const client = new SNSClient({ endpoint: inject('awsEndpoint'), region: 'us-east-1', credentials: fromHttp({ awsContainerCredentialsFullUri: creds.url, maxRetries: 0 }) });
    cleanups.push(() => client.destroy());
    const transport = new SnsTransport({ client, routes: { 'to.a': a, 'to.b': b } });
    const messages = [outboxMessage({ subject: 'to.a' }), outboxMessage({ subject: 'to.b' }), outboxMessage({ subject: 'to.a' })];

    const failing = await transport.publish(messages, { ordered: false });
    const requestsWhileFailing = creds.requests;
    creds.mode = 'answer';
    const recovered = await transport.publish(messages, { ordered: false });

    // One block for the transport, whatever the route: the same route name, code and scope for all.
    expect(failing).toEqual(
      messages.map((m) => ({
        id: m.id,
        status: 'blocked',
        route: '(credentials) SnsTransport',
        code: 'CredentialsProviderError',
        scope: 'transport',
        error: expect.stringMatching(/^CredentialsUnavailable: SnsTransport has no working AWS credentials \(CredentialsProviderError: .*Server responded with status: 500/),
      })),
    );
    expect(requestsWhileFailing).toBeGreaterThan(0);
    expect(recovered.map((r) => [r.status, 'route' in r ? r.route : undefined])).toEqual([['sent', a], ['sent', b], ['sent', a]]);
  });

  it('web identity: STS answers ExpiredTokenException for the expired token, then credentials for a fresh one', async () => {
    const { a } = await twoTopics();
    let sts: RecordedAnswer = STS_EXPIRED_WEB_IDENTITY_TOKEN;
    const stsServer = await startAwsReplay(() => sts);
    cleanups.push(() => stsServer.close());
    const dir = await mkdtemp(join(tmpdir(), 'web-identity-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, 'expired.jwt.token');
    const credentials = fromTokenFile({
      webIdentityTokenFile: tokenFile,
      roleArn: 'arn:aws:iam::123456789012:role/relay',
      roleSessionName: 'relay',
      clientConfig: { endpoint: stsServer.endpoint, region: 'us-east-1' },
    });
    const client = new SNSClient({ endpoint: inject('awsEndpoint'), region: 'us-east-1', credentials });
    cleanups.push(() => client.destroy());
    const transport = new SnsTransport({ client, routes: () => a });

    const [failing] = await transport.publish([outboxMessage()], { ordered: false });
    expect(failing).toMatchObject({ status: 'blocked', route: '(credentials) SnsTransport', scope: 'transport', code: 'ExpiredTokenException' });
    expect('error' in failing! && failing.error).toContain('Token expired: current date/time');
    expect(stsServer.requests[0]!.body).toContain('Action=AssumeRoleWithWebIdentity');

    // The token file is rotated (as EKS does) and STS answers: the next publish goes out.
    await writeFile(tokenFile, 'fresh.jwt.token');
    sts = stsWebIdentityCredentials(3_600);
    const [recovered] = await transport.publish([outboxMessage()], { ordered: false });
    expect(recovered).toMatchObject({ status: 'sent', route: a });
    expect(stsServer.requests.at(-1)!.body).toContain('WebIdentityToken=fresh.jwt.token');
  });

  it('STS refusing the role (403 AccessDenied) blocks the transport, not one route: any error of the provider does', async () => {
    const { a } = await twoTopics();
    const stsServer = await startAwsReplay(() => STS_NOT_AUTHORIZED_TO_ASSUME_ROLE);
    cleanups.push(() => stsServer.close());
    const dir = await mkdtemp(join(tmpdir(), 'web-identity-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'token'), 'some.jwt.token');
    const credentials = fromTokenFile({ webIdentityTokenFile: join(dir, 'token'), roleArn: 'arn:aws:iam::123456789012:role/relay', roleSessionName: 'relay', clientConfig: { endpoint: stsServer.endpoint, region: 'us-east-1' } });
    const client = new SNSClient({ endpoint: inject('awsEndpoint'), region: 'us-east-1', credentials });
    cleanups.push(() => client.destroy());
    const transport = new SnsTransport({ client, routes: () => a });

    const [result] = await transport.publish([outboxMessage()], { ordered: false });

    // The same code from SNS itself would block one route; from the credentials provider it is the transport's.
    expect(result).toMatchObject({ status: 'blocked', route: '(credentials) SnsTransport', scope: 'transport', code: 'AccessDenied' });
    expect('error' in result! && result.error).toContain('Not authorized to perform sts:AssumeRoleWithWebIdentity');
  });

  it('an answer of the service that says the credentials are unknown or expired is transport-wide too', () => {
    for (const name of ['ExpiredToken', 'InvalidClientTokenId', 'UnrecognizedClientException', 'CredentialsProviderError']) {
      expect(isCredentialsError(Object.assign(new Error('x'), { name }))).toBe(true);
    }
    expect(isCredentialsError(Object.assign(new Error('x'), { name: 'AuthorizationError' }))).toBe(false);
  });
});
