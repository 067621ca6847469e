import { MESSAGE_STATUSES, type MessageStatus, type SearchPage } from '@tx-outbox/outbox-typeorm/internal';
import { html, type SafeHtml } from '../html.js';
import type { ConsoleFields } from '../parseConsoleSelection.js';
import { actionLinks } from './actionLinks.js';
import { query, time } from './format.js';
import { layout, type PageContext } from './layout.js';

/** The filter fields of the search form, as the CLI names its selection flags. */
export const FILTER_FIELDS = ['status', 'id', 'subject', 'exact-subject', 'group-key', 'fingerprint', 'since', 'until'] as const;

const text = (fields: ConsoleFields, name: string) => ([] as string[]).concat(fields[name] ?? [])[0] ?? '';

/** The search form and one page of its results, with a link to the next page and the actions that fit the status. */
export function messagesPage(ctx: PageContext, fields: ConsoleFields, page: SearchPage | undefined, error: string | undefined): SafeHtml {
  const status = text(fields, 'status') as MessageStatus | '';
  const filters = Object.fromEntries(FILTER_FIELDS.map((f) => [f, ([] as string[]).concat(fields[f] ?? [])]));
  const { status: _status, ...selection } = filters;
  const hasSelection = Object.values(selection).some((v) => v.length > 0 && v[0] !== '');
  const actions = !hasSelection ? [] : status === 'dead' ? (['requeue', 'purge'] as const) : status === 'sent' ? (['republish'] as const) : [];
  const input = (name: string, label: string, placeholder = '') =>
    html`<label>${label}<input name="${name}" value="${text(fields, name)}" placeholder="${placeholder}"></label>`;
  const body = html`
<form class="filters" method="get" action="${ctx.base}messages">
  <label>Status<select name="status"><option value="">any</option>${MESSAGE_STATUSES.map((s) => html`<option value="${s}" ${s === status ? 'selected' : ''}>${s.replace('_', ' ')}</option>`)}</select></label>
  ${input('subject', 'Subject', 'payment.* or payment.created')}
  ${input('group-key', 'Group key')}
  ${input('id', 'Id', 'uuid')}
  ${input('since', 'Created since', '1h, 2026-11-29T13:00')}
  ${input('until', 'Created until', 'ISO time or age')}
  ${text(fields, 'fingerprint') ? html`<input type="hidden" name="fingerprint" value="${text(fields, 'fingerprint')}">` : null}
  <button type="submit">Search</button>
  ${actionLinks(ctx, actions, selection)}
</form>
${error ? html`<div class="banner bad" role="alert">${error}</div>` : null}
${page ? results(ctx, fields, page) : null}
<p class="note">Times are UTC unless they carry an offset; an age (90m, 1h, 2d) counts back from now. Subject: one subject, or every subject under a segment (payment.*).</p>`;
  return layout(ctx, 'Messages', 'messages', body);
}

function results(ctx: PageContext, fields: ConsoleFields, page: SearchPage): SafeHtml {
  const next = page.next
    ? html`<p><a rel="next" href="${ctx.base}messages${query({ ...Object.fromEntries(FILTER_FIELDS.map((f) => [f, ([] as string[]).concat(fields[f] ?? [])])), cursor: `${page.next.key}.${page.next.seq}` })}">Next page →</a>${page.full ? null : html` <span class="note">(no match in the last 10,000 rows walked; the search goes on from there)</span>`}</p>`
    : html`<p class="note">End of the list.</p>`;
  if (page.messages.length === 0) return html`<p class="note">No message matches on this page.</p>${next}`;
  return html`<table data-table="messages"><thead><tr><th>Id</th><th>Subject</th><th>Status</th><th>Group key</th><th class="n">Attempts</th><th>Created</th><th>Due / sent / dead</th><th>Last error</th></tr></thead><tbody>
  ${page.messages.map(
    (m) => html`<tr data-id="${m.id}"><td><a class="mono" href="${ctx.base}messages/${m.id}">${m.id}</a></td><td>${m.subject}</td><td><span class="status ${m.status}">${m.status.replace('_', ' ')}</span></td>
      <td>${m.groupKey ?? '—'}</td><td class="n">${m.attempts}</td><td>${time(m.createdAt)}</td><td>${time(m.deadAt ?? m.sentAt ?? m.availableAt)}</td><td><code>${m.lastError ?? ''}</code></td></tr>`,
  )}
  </tbody></table>${next}`;
}
