import { html, type SafeHtml } from '../html.js';
import { layout, type PageContext } from './layout.js';

/** A page that says what went wrong (the message is escaped like everything else). */
export function errorPage(ctx: PageContext, title: string, message: string): SafeHtml {
  return layout(ctx, title, '', html`<div class="banner bad" role="alert">${message}</div><p><a href="${ctx.base}">Back to the overview</a></p>`);
}
