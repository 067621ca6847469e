import { html, type SafeHtml } from '../html.js';
import { query } from './format.js';
import type { PageContext } from './layout.js';

export type ConsoleAction = 'requeue' | 'republish' | 'purge';

/** Links to an action's dry run (the preview page, whose form then confirms it), when actions are enabled. */
export function actionLinks(ctx: PageContext, actions: readonly ConsoleAction[], fields: Record<string, string | readonly string[] | undefined>): SafeHtml | null {
  if (!ctx.writes || actions.length === 0) return null;
  return html`<span class="actions">${actions.map((a) => html`<a class="action" data-action="${a}" href="${ctx.base}actions/${a}${query(fields)}">${a[0]!.toUpperCase() + a.slice(1)}…</a>`)}</span>`;
}
