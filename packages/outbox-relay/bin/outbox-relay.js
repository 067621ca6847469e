#!/usr/bin/env node
// The outbox-relay program. Its code is the sidecar CLI of @tx-outbox/relay-sns; this package makes it
// one install: its logger (pino, pino-pretty), metrics (prom-client), pg and the AWS SDK clients are
// dependencies here, and so is the local SNS/SQS emulator `outbox-relay dev` starts (fauxqs, optional).
import '@tx-outbox/relay-sns/cli';
