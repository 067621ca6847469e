import type { FailureGroups } from '@tx-outbox/outbox-typeorm/postgres';
import { html, type SafeHtml } from '../html.js';
import { actionLinks } from './actionLinks.js';
import { count, query, time } from './format.js';
import { layout, type PageContext } from './layout.js';

/** Dead letters grouped by failure fingerprint, with each group's actions. */
export function failuresPage(ctx: PageContext, failures: FailureGroups): SafeHtml {
  const body =
    failures.groups.length === 0
      ? html`<p class="note">No dead letters.</p>`
      : html`
<p class="note">${failures.complete ? `All ${count(failures.scanned)} dead letters` : `The newest ${count(failures.scanned)} dead letters (there are more: counts are of these)`}, grouped by error with ids, numbers and times normalized away. An action on a group applies to every dead letter with its fingerprint.</p>
<table data-table="failures"><thead><tr><th>Error</th><th class="n">Dead letters</th><th>First seen</th><th>Last seen</th><th>Subjects</th><th>Sample</th><th></th></tr></thead><tbody>
${failures.groups.map(
  (g) => html`<tr data-fingerprint="${g.fingerprint}">
  <td><strong>${g.errorClass || '(no class)'}</strong><br><code>${g.normalizedError}</code></td>
  <td class="n" data-count="${g.count}">${count(g.count)}${failures.complete ? '' : '+'}</td>
  <td>${time(g.firstSeen)}</td><td>${time(g.lastSeen)}</td>
  <td>${g.subjects.join(', ')}${g.subjectCount > g.subjects.length ? ` and ${g.subjectCount - g.subjects.length} more` : ''}</td>
  <td><a href="${ctx.base}messages/${g.sampleId}">sample</a> · <a href="${ctx.base}messages${query({ status: 'dead', fingerprint: g.fingerprint })}">all</a></td>
  <td>${actionLinks(ctx, ['requeue', 'purge'], { fingerprint: g.fingerprint })}</td>
</tr>`,
)}
</tbody></table>`;
  return layout(ctx, 'Failures', 'failures', body);
}
