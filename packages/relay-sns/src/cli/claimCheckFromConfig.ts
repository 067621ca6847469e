import type { ClaimCheckOptions } from '../claimCheck/ClaimCheckOptions.js';
import { checkTargetShape } from '../routing/checkTargetShape.js';
import { ConfigError } from './ConfigError.js';
import type { RelayCliConfig } from './configSpec.js';
import type { RouteRule } from './parseRoutes.js';

/**
 * The transport's `claimCheck` from the OUTBOX_CLAIM_CHECK_* settings, or undefined when it is off. The
 * bucket and the targets come together; each target must be one OUTBOX_ROUTES goes to (a target no route
 * names is a typo: its messages would never be claim-checked).
 *
 * @throws ConfigError naming the variable that is missing or wrong.
 */
export function claimCheckFromConfig(config: RelayCliConfig, rules: readonly RouteRule[]): ClaimCheckOptions | undefined {
  const { claimCheckBucket: bucket, claimCheckTargets: raw, claimCheckKeyPrefix: keyPrefix, claimCheckThresholdBytes: thresholdBytes, transport } = config;
  if (bucket === undefined && raw === undefined) {
    if (thresholdBytes !== undefined) throw new ConfigError('OUTBOX_CLAIM_CHECK_BUCKET', 'OUTBOX_CLAIM_CHECK_THRESHOLD_BYTES is set but claim-check is off: set OUTBOX_CLAIM_CHECK_BUCKET and OUTBOX_CLAIM_CHECK_TARGETS too.');
    return undefined;
  }
  if (bucket === undefined) throw new ConfigError('OUTBOX_CLAIM_CHECK_BUCKET', 'OUTBOX_CLAIM_CHECK_TARGETS is set, so OUTBOX_CLAIM_CHECK_BUCKET (--claim-check-bucket) is required: the S3 bucket claim-checked bodies are written to.');
  if (raw === undefined) {
    throw new ConfigError('OUTBOX_CLAIM_CHECK_TARGETS', 'OUTBOX_CLAIM_CHECK_BUCKET is set, so OUTBOX_CLAIM_CHECK_TARGETS (--claim-check-targets) is required: the topic ARNs or queue URLs whose consumers read claim-checked messages, or * for every route.');
  }
  const options: ClaimCheckOptions = { bucket, keyPrefix: keyPrefix ?? '', targets: '*', ...(thresholdBytes === undefined ? {} : { thresholdBytes }) };
  if (raw.trim() === '*') return options;
  const kind = transport === 'sns' ? 'topicArn' : 'queueUrl';
  const routed = new Set(rules.map((r) => r.target));
  const targets = raw.split(/[,\n]/).map((t) => t.trim()).filter(Boolean);
  if (targets.length === 0) throw new ConfigError('OUTBOX_CLAIM_CHECK_TARGETS', 'OUTBOX_CLAIM_CHECK_TARGETS lists no target; give topic ARNs or queue URLs, or *.');
  for (const target of targets) {
    const expected = checkTargetShape(target, kind);
    if (expected !== undefined) throw new ConfigError('OUTBOX_CLAIM_CHECK_TARGETS', `OUTBOX_CLAIM_CHECK_TARGETS entry ${JSON.stringify(target)} must be ${expected} with OUTBOX_TRANSPORT=${transport}.`);
    if (!routed.has(target)) throw new ConfigError('OUTBOX_CLAIM_CHECK_TARGETS', `OUTBOX_CLAIM_CHECK_TARGETS names ${JSON.stringify(target)}, which no route of OUTBOX_ROUTES goes to.`);
  }
  return { ...options, targets };
}
