import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One node of a V8 `.cpuprofile` (the fields the summaries read). */
export interface ProfileNode {
  id: number;
  hitCount?: number;
  callFrame: { url: string; functionName: string };
  children?: number[];
}

/** Share of the busy self samples (0..1) per package, largest first; `(idle)` samples are left out. */
export type ProfileShares = { owner: string; share: number }[];

/**
 * Reads every `.cpuprofile` in `dir` (`node --cpu-prof`) and adds up each node's self samples by who
 * owns its code: the npm package (from the node_modules path), a workspace package, Node's internals,
 * or V8's own entries (garbage collector, program, idle).
 */
export function summarizeCpuProfiles(dir: string): ProfileShares {
  const byOwner = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const { nodes } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[] };
    for (const node of nodes) {
      const hits = node.hitCount ?? 0;
      const owner = ownerOf(node.callFrame);
      if (hits === 0 || owner === '(idle)') continue;
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + hits);
      total += hits;
    }
  }
  return [...byOwner].map(([owner, hits]) => ({ owner, share: hits / total })).sort((a, b) => b.share - a.share);
}

/** Who owns a frame's code: an npm package, a workspace package, `node internals`, or a V8 entry such as `(garbage collector)`. */
export function ownerOf({ url, functionName }: ProfileNode['callFrame']): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(url);
  if (pkg) return pkg[1]!;
  const workspace = /\/(packages|tools|benchmarks)\/([^/]+)\//.exec(url);
  if (workspace) return workspace[1] === 'packages' ? `@tx-outbox/${workspace[2]}` : `${workspace[1]}/${workspace[2]}`;
  return url;
}
