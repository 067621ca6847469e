import type { AdminOperationResult } from '@tx-outbox/outbox-typeorm/postgres';
import { html, type SafeHtml } from '../html.js';
import type { ConsoleAction } from './actionLinks.js';
import { count } from './format.js';
import { layout, type PageContext } from './layout.js';

/** What the action page shows: a dry run to confirm, or what was done, or why it was refused. */
export type ActionOutcome =
  | { kind: 'preview'; result: AdminOperationResult; needsConfirmation: boolean; confirmAbove: number }
  | { kind: 'done'; result: AdminOperationResult }
  | { kind: 'refused'; message: string };

const VERB: Record<ConsoleAction, string> = { requeue: 'requeued (made pending again, attempts reset)', republish: 'published again (made pending, same ids)', purge: 'deleted for good' };

/** An action's page: the selection it applies to, the dry run's count and the confirmation form, or the outcome. */
export function actionPage(ctx: PageContext, action: ConsoleAction, fields: ReadonlyArray<[string, string]>, outcome: ActionOutcome): SafeHtml {
  const selection = html`<dl class="fields">${fields.map(([k, v]) => html`<dt>${k}</dt><dd class="mono">${v}</dd>`)}</dl>`;
  let part: SafeHtml;
  if (outcome.kind === 'refused') part = html`<div class="banner bad" role="alert" data-outcome="refused">${outcome.message}</div>`;
  else if (outcome.kind === 'done') {
    part = html`<div class="banner ok" role="status" data-outcome="done" data-changed="${outcome.result.changed}">${count(outcome.result.changed)} of ${count(outcome.result.matched)} matching messages ${VERB[action]}.</div>`;
  } else {
    const { matched } = outcome.result;
    part =
      matched === 0
        ? html`<div class="banner" data-outcome="preview" data-matched="0">No message matches: nothing to do.</div>`
        : html`<div class="banner" data-outcome="preview" data-matched="${matched}">Dry run: ${count(matched)} messages match and would be ${VERB[action]}.</div>
<form method="post" action="${ctx.base}actions/${action}" class="actions">
  <input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}">
  ${fields.map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
  ${outcome.needsConfirmation ? html`<label><input type="checkbox" name="confirm" value="1" required> Yes, ${action} these ${count(matched)} messages (more than ${count(outcome.confirmAbove)})</label>` : null}
  <button type="submit" class="${action === 'purge' ? 'danger' : ''}" data-confirm="${action}">${action[0]!.toUpperCase() + action.slice(1)} ${count(matched)} messages</button>
</form>`;
  }
  return layout(ctx, `${action[0]!.toUpperCase() + action.slice(1)}`, '', html`${selection}${part}<p><a href="${ctx.base}failures">Failures</a> · <a href="${ctx.base}">Overview</a></p>`);
}
