// What an operator's probes see of one relay: its /readyz and its /metrics, read over HTTP as a
// Kubernetes probe and a Prometheus scrape would.

/** One look at a relay's /readyz and /metrics. */
export interface RelayProbe {
  /** /readyz status: 200, or 503 (claims failing, database read-only…). A blocked route is listed, not a failure. */
  readyStatus: number;
  /** The `check` (and `code`) of each reason /readyz gives for not being ready, e.g. `writable:in-recovery`, `claims`. */
  readyReasons: string[];
  /** The routes /readyz lists blocked, as `<route> (<code>)`. */
  readyBlocked: string[];
  /** The `route` labels of `outbox_route_blocked` at 1. */
  metricBlocked: string[];
  /** `outbox_messages_published_total` by its `route` label (this relay process only). */
  published: Record<string, number>;
}

/** Each request has this long to answer: a probe must never hang the run. */
const PROBE_TIMEOUT_MS = 5_000;

const METRIC_BLOCKED = /^outbox_route_blocked\{route="([^"]*)"\} 1$/;
const METRIC_PUBLISHED = /^outbox_messages_published_total\{route="([^"]*)"\} (\d+)$/;

/** Reads /readyz and /metrics of the relay listening on `port` (127.0.0.1). Rejects when either does not answer. */
export async function probeRelay(port: number): Promise<RelayProbe> {
  const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  const ready = await get('/readyz');
  const readiness = (await ready.json()) as { reasons: Array<{ check: string; code?: string }>; blockedRoutes: Array<{ route: string; code: string | null }> };
  const metrics = await get('/metrics');
  if (metrics.status !== 200) throw new Error(`/metrics answered ${metrics.status}`);
  const metricLines = (await metrics.text()).split('\n');
  const matches = (lines: string[], pattern: RegExp) => lines.map((l) => pattern.exec(l.trim())?.[1]).filter((m): m is string => m !== undefined);
  const published: Record<string, number> = {};
  for (const line of metricLines) {
    const m = METRIC_PUBLISHED.exec(line.trim());
    if (m) published[m[1]!] = Number(m[2]);
  }
  return {
    readyStatus: ready.status,
    readyReasons: readiness.reasons.map((r) => (r.code === undefined ? r.check : `${r.check}:${r.code}`)),
    readyBlocked: readiness.blockedRoutes.map((b) => `${b.route} (${b.code ?? 'no code'})`),
    metricBlocked: matches(metricLines, METRIC_BLOCKED),
    published,
  };
}
