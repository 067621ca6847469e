import type { MessageDetail } from '@tx-outbox/outbox-typeorm/internal';
import { html, type SafeHtml } from '../html.js';
import { actionLinks } from './actionLinks.js';
import { count, time } from './format.js';
import { layout, type PageContext } from './layout.js';

/** One message: its fields, headers and payload (pretty-printed JSON, escaped; cut above the limit, with a download link). */
export function messagePage(ctx: PageContext, m: MessageDetail): SafeHtml {
  let payload = m.payloadText;
  if (!m.payloadTruncated) {
    try {
      payload = JSON.stringify(JSON.parse(m.payloadText), null, 2);
    } catch {
      // Stored as jsonb, so it parses; if not, show it as stored.
    }
  }
  const actions = m.status === 'dead' ? (['requeue', 'purge'] as const) : m.status === 'sent' ? (['republish'] as const) : [];
  const body = html`
<dl class="fields">
  <dt>Id</dt><dd class="mono">${m.id}</dd>
  <dt>Subject</dt><dd>${m.subject}</dd>
  <dt>Status</dt><dd><span class="status ${m.status}">${m.status.replace('_', ' ')}</span> ${actionLinks(ctx, actions, { id: m.id })}</dd>
  <dt>Group key</dt><dd>${m.groupKey ?? '—'}</dd>
  <dt>Dedup id</dt><dd>${m.dedupId ?? '—'}</dd>
  <dt>Attempts</dt><dd>${m.attempts}</dd>
  <dt>Last error</dt><dd><code>${m.lastError ?? '—'}</code></dd>
  <dt>Created</dt><dd>${time(m.createdAt)}</dd>
  <dt>Due</dt><dd>${time(m.availableAt)}</dd>
  <dt>Leased by</dt><dd>${m.lockedBy ? `${m.lockedBy} until ${time(m.lockedUntil)}` : '—'}</dd>
  <dt>Sent</dt><dd>${time(m.sentAt)}</dd>
  <dt>Dead</dt><dd>${time(m.deadAt)}</dd>
  <dt>Sequence</dt><dd>${m.seq}</dd>
</dl>
<h2>Headers</h2>
<pre id="headers">${JSON.stringify(m.headers, null, 2)}</pre>
<h2>Payload (${count(m.payloadBytes)} bytes)</h2>
${m.payloadTruncated ? html`<div class="banner" role="note">The payload is larger than 256 KiB: its first ${count(m.payloadText.length)} characters are shown, not pretty-printed. <a href="${ctx.base}messages/${m.id}/payload" download>Download the whole payload</a>.</div>` : html`<p class="note"><a href="${ctx.base}messages/${m.id}/payload" download>Download</a></p>`}
<pre id="payload">${payload}</pre>`;
  return layout(ctx, `Message ${m.id}`, 'messages', body);
}
