import { MESSAGE_STATUSES, type MessageStatus } from '@tx-outbox/outbox-typeorm/internal';
import type { ConsoleApp } from './ConsoleApp.js';
import { ConsoleInputError } from './ConsoleInputError.js';
import type { SafeHtml } from './html.js';
import { isInputError } from './isInputError.js';
import type { PageContext } from './pages/layout.js';
import { FILTER_FIELDS, messagesPage } from './pages/messagesPage.js';
import { type ConsoleFields, parseConsoleSelection } from './parseConsoleSelection.js';

/** The search page: the form's fields read with the CLI's rules, then one page of the lane. */
export async function searchConsoleMessages(app: ConsoleApp, ctx: PageContext, fields: ConsoleFields): Promise<[number, SafeHtml]> {
  const status = (typeof fields.status === 'string' ? fields.status : '') || undefined;
  const cursorText = typeof fields.cursor === 'string' ? fields.cursor : undefined;
  try {
    if (status !== undefined && !MESSAGE_STATUSES.includes(status as MessageStatus)) throw new ConsoleInputError('status', `status must be one of ${MESSAGE_STATUSES.join(', ')}`);
    const cursorMatch = cursorText === undefined ? undefined : /^(-?\d{1,19})\.(\d{1,19})$/.exec(cursorText);
    if (cursorText !== undefined && !cursorMatch) throw new ConsoleInputError('cursor', 'the page cursor is not one this console wrote');
    const selectionFields = Object.fromEntries(FILTER_FIELDS.filter((f) => f !== 'status').map((f) => [f, fields[f]]));
    const hasFilter = Object.values(selectionFields).some((v) => v !== undefined && v !== '' && !(Array.isArray(v) && v.every((x) => x === '')));
    const filter = hasFilter ? parseConsoleSelection('search', selectionFields) : {};
    if (filter === 'all') throw new ConsoleInputError('all', 'a search takes filters, not all');
    const cursor = cursorMatch ? { key: BigInt(cursorMatch[1]!), seq: BigInt(cursorMatch[2]!) } : undefined;
    const result = await app.inspector.search({ filter, status: status as MessageStatus | undefined, cursor });
    return [200, messagesPage(ctx, fields, result, undefined)];
  } catch (error) {
    if (!isInputError(error)) throw error;
    return [400, messagesPage(ctx, fields, undefined, (error as Error).message)];
  }
}
