/**
 * Calls a route refused as too long though they fit the limit held for it (its real limit is lower than
 * the topic's attribute or the setting says). Their messages wait on a route of their own,
 * `<target> (size limit)`, so the route's smaller messages keep flowing and lift nothing; a later call
 * as large as the smallest refused one that goes out, or one under a limit that changed since (read
 * again, lower), lifts it.
 */
export class SizeRefusals {
  private readonly refused = new Map<string, { bytes: number; limitBytes: number }>();

  /** The route a target's messages too large for its real limit wait on. */
  static routeOf(target: string): string {
    return `${target} (size limit)`;
  }

  /** Records a call of `bytes` refused as too long under a limit of `limitBytes`; returns the route its messages wait on. */
  record(target: string, bytes: number, limitBytes: number): string {
    const before = this.refused.get(target);
    this.refused.set(target, { bytes: Math.min(bytes, before?.bytes ?? bytes), limitBytes });
    return SizeRefusals.routeOf(target);
  }

  /** A call of `bytes` to `target` went out under a limit of `limitBytes`: the size route it lifts, if any. */
  lifted(target: string, bytes: number, limitBytes: number): string | undefined {
    const entry = this.refused.get(target);
    if (entry === undefined || (bytes < entry.bytes && limitBytes === entry.limitBytes)) return undefined;
    this.refused.delete(target);
    return SizeRefusals.routeOf(target);
  }
}
