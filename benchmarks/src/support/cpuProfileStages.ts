import { readFileSync } from 'node:fs';
import { ownerOf, type ProfileNode } from './cpuProfileSummary.js';

/**
 * A named part of the work, recognised by the frames on a sample's stack. A `whole` stage takes every
 * sample beneath its frame (a call and all it calls, e.g. the seam lookup with the library it asks);
 * any other stage takes only the samples for which it is the innermost named frame.
 */
export interface ProfileStage {
  name: string;
  /** Matched against the frame's function name, when given. */
  functionName?: RegExp;
  /** Matched against the frame's script URL, when given. */
  url?: RegExp;
  whole?: boolean;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

/**
 * Share (0..1) of the busy samples per stage in one `.cpuprofile`: each sample goes to the innermost
 * `whole` stage on its stack, else the innermost other stage, else the owner of its leaf frame (see
 * ownerOf); `(idle)` samples are left out. Samples are counted, not timed: on a loaded machine a
 * sample's time delta also holds the time the thread was not scheduled, which no stage spent.
 */
export function stageShares(file: string, stages: readonly ProfileStage[]): Map<string, number> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const matches = (stage: ProfileStage, frame: ProfileNode['callFrame']) =>
    (stage.functionName === undefined || stage.functionName.test(frame.functionName)) && (stage.url === undefined || stage.url.test(frame.url));
  // Each leaf node's stage, computed once (many samples share a node).
  const stageOfNode = new Map<number, string | null>();
  const stageOf = (leafId: number): string | null => {
    const known = stageOfNode.get(leafId);
    if (known !== undefined) return known;
    let whole: string | undefined;
    let inner: string | undefined;
    for (let id: number | undefined = leafId; id !== undefined && whole === undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      const stage = stages.find((s) => matches(s, frame));
      if (stage?.whole) whole = stage.name;
      else if (stage && inner === undefined) inner = stage.name;
    }
    const leaf = byId.get(leafId)!.callFrame;
    const owner = ownerOf(leaf);
    const name = whole ?? inner ?? (owner === '(idle)' ? null : owner);
    stageOfNode.set(leafId, name);
    return name;
  };
  const counts = new Map<string, number>();
  let busy = 0;
  for (const nodeId of profile.samples) {
    const name = stageOf(nodeId);
    if (name === null) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    busy++;
  }
  return new Map([...counts].map(([name, n]) => [name, n / busy]));
}
