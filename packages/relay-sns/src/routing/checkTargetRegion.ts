import type { TargetKind } from './checkTargetShape.js';

/** Where a target lives, as read from it. */
export interface TargetLocation {
  partition: string;
  region: string;
}

// AWS queue URL hosts: sqs.REGION.amazonaws.com[.cn], the legacy REGION.queue.amazonaws.com[.cn], and
// queue.amazonaws.com (us-east-1). Any other host is an emulator's or a proxy's: nothing to compare.
const QUEUE_HOST = /^(?:sqs\.([a-z0-9-]+)|([a-z0-9-]+)\.queue|queue)\.amazonaws\.com(\.cn)?$/;

/** A topic ARN's partition and region, or an AWS queue URL's; undefined when the target does not say. */
export function targetLocation(target: string, kind: TargetKind): TargetLocation | undefined {
  if (kind === 'topicArn') {
    const [, partition, , region] = target.split(':');
    return partition && region ? { partition, region } : undefined;
  }
  let host: string;
  try {
    host = new URL(target).hostname;
  } catch {
    return undefined;
  }
  const m = QUEUE_HOST.exec(host);
  if (!m) return undefined;
  const region = m[1] ?? m[2] ?? 'us-east-1';
  return { partition: m[3] ? 'aws-cn' : 'aws', region };
}

// Region name prefixes of the partitions other than `aws` (the SDK's partitions table).
const PARTITION_PREFIXES: ReadonlyArray<[string, string]> = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['eusc-', 'aws-eusc'],
];

/** The partition a region belongs to: `aws-cn` for `cn-north-1`, `aws` for `eu-west-1`. */
export function regionPartition(region: string): string {
  return PARTITION_PREFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/**
 * Whether a route's target can be reached by a client of `clientRegion`: a topic ARN or AWS queue URL
 * of another region or partition cannot (SNS answers `400 InvalidParameter: Invalid parameter:
 * TopicArn` to a topic of another region; SQS refuses the signature). Returns what is wrong, for the
 * route's blocked reason, or undefined when nothing is (or the target or the region does not say).
 */
export function checkTargetRegion(target: string, kind: TargetKind, clientRegion: string | undefined): { code: string; reason: string } | undefined {
  const where = targetLocation(target, kind);
  if (where === undefined) return undefined;
  const what = kind === 'topicArn' ? 'topic' : 'queue';
  const ownPartition = regionPartition(where.region);
  if (where.partition !== ownPartition) {
    return { code: 'RouteInAnotherPartition', reason: `names partition ${where.partition}, but its region ${where.region} is in ${ownPartition}` };
  }
  if (clientRegion === undefined || clientRegion === where.region) return undefined;
  const clientPartition = regionPartition(clientRegion);
  if (clientPartition !== where.partition) {
    return { code: 'RouteInAnotherPartition', reason: `is a ${what} of partition ${where.partition}, but the client is in ${clientRegion} (partition ${clientPartition})` };
  }
  return { code: 'RouteInAnotherRegion', reason: `is a ${what} of ${where.region}, but the client is in ${clientRegion}` };
}
