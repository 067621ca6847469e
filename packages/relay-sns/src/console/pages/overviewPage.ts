import type { BlockedRoute } from '@tx-outbox/outbox-core';
import type { FailureGroups } from '@tx-outbox/outbox-typeorm/postgres';
import type { OutboxOverview, OutboxSeries } from '@tx-outbox/outbox-typeorm/internal';
import { html, type SafeHtml } from '../html.js';
import { count, duration, query, time } from './format.js';
import { layout, type PageContext } from './layout.js';

/** What the overview shows besides the inspector's figures. */
export interface OverviewExtras {
  /** The running relay's blocked routes, when the console runs beside one. */
  blockedRoutes: readonly BlockedRoute[] | undefined;
  routeOf: ((subject: string) => string | undefined) | undefined;
}

interface Row {
  name: string;
  pending: number;
  inFlight: number;
  waiting: number;
  dead: number;
  lastHour: number;
  lastDay: number;
}

/** The overview: backlog tiles, charts, blocked routes (or waiting failures), per subject and per route. */
export function overviewPage(ctx: PageContext, o: OutboxOverview, series: OutboxSeries, extras: OverviewExtras): SafeHtml {
  const approxBacklog = !o.backlog.complete;
  const sentApprox = !o.sent.exact;
  const rows = subjectRows(o);
  const sentHour = rows.reduce((n, r) => n + r.lastHour, 0);
  const sentDay = rows.reduce((n, r) => n + r.lastDay, 0);
  const tiles: Array<[string, string, string]> = [
    ['Pending', count(o.stats.pending, o.stats.approximate), ''],
    ['In flight', count(o.stats.inFlight, o.stats.approximate), ''],
    ['Waiting (delayed, backing off)', count(o.waiting, approxBacklog), o.waiting > 0 ? 'warn' : ''],
    ['Dead', count(o.stats.dead, o.stats.approximate), o.stats.dead > 0 ? 'bad' : ''],
    ['Sent, last hour', count(sentHour, sentApprox), ''],
    ['Sent, last day', count(sentDay, sentApprox), ''],
    ['Oldest pending', duration(o.stats.oldestPendingAgeMs), (o.stats.oldestPendingAgeMs ?? 0) > 60_000 ? 'warn' : ''],
  ];
  const body = html`
<section class="tiles" aria-label="backlog">
  ${tiles.map(([label, value, tone]) => html`<div class="tile ${tone}" data-tile="${label}"><div class="label">${label}</div><div class="value">${value}</div></div>`)}
</section>
${o.stats.approximate || approxBacklog || sentApprox ? html`<p class="note approx">≈ marks an estimate: beyond 10,000 rows in a lane the figures come from index statistics, the first 10,000 rows, or a sample of the day's rows.</p>` : null}
<p class="note">Read at ${time(o.now)} (the database's clock).</p>
${blockedSection(ctx, o.waitingFailures, extras.blockedRoutes)}
<h2>Last ${duration(series.now.getTime() - series.since.getTime())}</h2>
<section class="charts">${charts(series)}</section>
<h2>By subject</h2>
${table(ctx, 'subject', rows, approxBacklog, sentApprox)}
${extras.routeOf ? html`<h2>By route</h2>${table(ctx, 'route', routeRows(rows, extras.routeOf), approxBacklog, sentApprox)}` : null}
`;
  return layout(ctx, 'Overview', '', body);
}

function blockedSection(ctx: PageContext, waiting: FailureGroups, blocked: readonly BlockedRoute[] | undefined): SafeHtml {
  const relayPart =
    blocked === undefined
      ? null
      : blocked.length === 0
        ? html`<p class="note" data-blocked="0">No route is blocked (as the relay beside this console sees it).</p>`
        : html`<table data-blocked="${blocked.length}"><thead><tr><th>Blocked route</th><th>Code</th><th>Since</th><th>Reason</th></tr></thead><tbody>
          ${blocked.map((b) => html`<tr><td><code>${b.route}</code></td><td>${b.code ?? '—'}</td><td>${time(b.since)}</td><td><code>${b.error}</code></td></tr>`)}
          </tbody></table>`;
  const groups = waiting.groups.slice(0, 10);
  const waitingPart =
    groups.length === 0
      ? html`<p class="note">No waiting message has an error.</p>`
      : html`<table><thead><tr><th>Error of waiting messages</th><th class="n">Messages</th><th>Oldest created</th><th>Subjects</th></tr></thead><tbody>
        ${groups.map((g) => html`<tr><td><code>${g.normalizedError}</code></td><td class="n">${count(g.count, !waiting.complete)}</td><td>${time(g.firstSeen)}</td><td>${g.subjects.join(', ')}</td></tr>`)}
        </tbody></table>`;
  return html`<h2>Blocked routes and backing off</h2>${relayPart}${waitingPart}
  <p class="note">A blocked route's messages wait without using a try, with the route's error as their last error: they show above${blocked === undefined ? ' (the standalone console has no relay to ask which routes are blocked, so this table is the only sign of one)' : ''}.</p>
  <p class="note"><a href="${ctx.base}messages${query({ status: 'waiting' })}">All waiting messages</a></p>`;
}

function charts(series: OutboxSeries): SafeHtml {
  const start = Math.ceil(series.since.getTime() / 60_000) * 60_000;
  const end = Math.floor(series.now.getTime() / 60_000) * 60_000;
  const minutes: number[] = [];
  for (let t = start; t <= end; t += 60_000) minutes.push(t);
  const sent = new Map(series.published.map((m) => [m.at, m.sent]));
  const dead = new Map(series.dead.minutes.map((m) => [m.at, m.dead]));
  const lag = series.published.filter((m) => m.sent > 0);
  const chart = (id: string, title: string, label: string, color: string, x: number[], y: number[], note: string) => {
    const total = y.reduce((a, b) => a + b, 0);
    const spec = { label, color, x: x.map((t) => t / 1000), y: y.map((v) => Math.round(v * 1000) / 1000) };
    return html`<div class="chart" id="${id}" data-chart="${JSON.stringify(spec)}" data-points="${x.length}">
      <div class="title">${title}</div><div class="plot"></div>
      <div class="fallback">${x.length} points; ${note}: ${id === 'chart-lag' ? `median ${y.length ? y[Math.floor(y.length / 2)]!.toFixed(2) : '—'} s` : count(total)}</div>
    </div>`;
  };
  return html`
    ${chart('chart-published', `Published per minute${series.publishedExact ? '' : ' (≈, sampled)'}`, 'published', '#1f5fbf', minutes, minutes.map((t) => sent.get(t) ?? 0), 'total')}
    ${chart('chart-lag', 'Lag, commit → sent (median, s)', 'lag s', '#a15c07', lag.map((m) => m.at), lag.map((m) => m.lagSeconds), 'last')}
    ${chart('chart-dead', `Dead-lettered per minute${series.dead.complete ? '' : ' (latest 10,000 only)'}`, 'dead', '#b42318', minutes, minutes.map((t) => dead.get(t) ?? 0), 'total')}`;
}

function subjectRows(o: OutboxOverview): Row[] {
  const rows = new Map<string, Row>();
  const row = (name: string) => {
    let r = rows.get(name);
    if (!r) rows.set(name, (r = { name, pending: 0, inFlight: 0, waiting: 0, dead: 0, lastHour: 0, lastDay: 0 }));
    return r;
  };
  for (const s of o.backlog.subjects) Object.assign(row(s.subject), { pending: s.pending, inFlight: s.inFlight, waiting: s.waiting, dead: s.dead });
  for (const s of o.sent.subjects) Object.assign(row(s.subject), { lastHour: s.lastHour, lastDay: s.lastDay });
  return [...rows.values()].sort((a, b) => b.pending + b.waiting + b.dead - (a.pending + a.waiting + a.dead) || b.lastDay - a.lastDay || a.name.localeCompare(b.name));
}

function routeRows(rows: readonly Row[], routeOf: (subject: string) => string | undefined): Row[] {
  const byRoute = new Map<string, Row>();
  for (const r of rows) {
    const name = routeOf(r.name) ?? '(no route)';
    const into = byRoute.get(name) ?? { name, pending: 0, inFlight: 0, waiting: 0, dead: 0, lastHour: 0, lastDay: 0 };
    for (const k of ['pending', 'inFlight', 'waiting', 'dead', 'lastHour', 'lastDay'] as const) into[k] += r[k];
    byRoute.set(name, into);
  }
  return [...byRoute.values()];
}

function table(ctx: PageContext, kind: 'subject' | 'route', rows: readonly Row[], approx: boolean, sentApprox: boolean): SafeHtml {
  if (rows.length === 0) return html`<p class="note">No messages.</p>`;
  const name = (r: Row) => (kind === 'subject' ? html`<a href="${ctx.base}messages${query({ 'exact-subject': r.name })}">${r.name}</a>` : html`<code>${r.name}</code>`);
  return html`<table data-table="${kind}"><thead><tr><th>${kind}</th><th class="n">Pending</th><th class="n">In flight</th><th class="n">Waiting</th><th class="n">Dead</th><th class="n">Sent 1 h</th><th class="n">Sent 24 h</th></tr></thead><tbody>
  ${rows.slice(0, 200).map((r) => html`<tr><td>${name(r)}</td><td class="n">${count(r.pending, approx)}</td><td class="n">${count(r.inFlight, approx)}</td><td class="n">${count(r.waiting, approx)}</td><td class="n">${count(r.dead, approx)}</td><td class="n">${count(r.lastHour, sentApprox)}</td><td class="n">${count(r.lastDay, sentApprox)}</td></tr>`)}
  </tbody></table>`;
}
