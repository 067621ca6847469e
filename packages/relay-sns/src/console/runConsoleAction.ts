import type { ConsoleApp } from './ConsoleApp.js';
import type { SafeHtml } from './html.js';
import { isInputError } from './isInputError.js';
import type { ConsoleAction } from './pages/actionLinks.js';
import { actionPage } from './pages/actionPage.js';
import type { PageContext } from './pages/layout.js';
import { type ConsoleFields, parseConsoleSelection } from './parseConsoleSelection.js';

/**
 * An action: its dry run (a GET, the preview with the confirmation form) or its run (the POST of that
 * form), through OutboxAdmin, with an audit line and a metric either way.
 */
export async function runConsoleAction(app: ConsoleApp, ctx: PageContext, action: ConsoleAction, fields: ConsoleFields, dryRun: boolean): Promise<[number, SafeHtml]> {
  const shown = shownFields(fields);
  if (!app.writes) return [403, actionPage(ctx, action, shown, { kind: 'refused', message: 'This console is read-only: actions are turned off (OUTBOX_CONSOLE_WRITES).' })];
  if (ctx.actor === undefined) return [401, actionPage(ctx, action, shown, { kind: 'refused', message: 'Actions need a signed-in operator.' })];
  const audit = (outcome: 'done' | 'dry_run' | 'refused' | 'failed', details: Record<string, unknown>) => {
    app.metrics?.action(action, outcome, Number(details.changed ?? 0));
    app.options.logger?.info('console action', { actor: ctx.actor, action, outcome, selection: Object.fromEntries(shown), ...details });
  };
  let selection;
  try {
    selection = parseConsoleSelection(action, fields);
  } catch (error) {
    if (!isInputError(error)) throw error;
    audit('refused', { reason: (error as Error).message });
    return [400, actionPage(ctx, action, shown, { kind: 'refused', message: (error as Error).message })];
  }
  const confirm = fields.confirm === '1';
  try {
    const result = await app.admin[action](selection, { dryRun, confirm });
    audit(dryRun ? 'dry_run' : 'done', { matched: result.matched, changed: result.changed });
    if (dryRun) return [200, actionPage(ctx, action, shown, { kind: 'preview', result, needsConfirmation: action !== 'requeue' && result.matched > app.confirmAbove, confirmAbove: app.confirmAbove })];
    return [200, actionPage(ctx, action, shown, { kind: 'done', result })];
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'ConfirmationRequiredError' || name === 'InvalidOptionError') {
      audit('refused', { reason: (error as Error).message });
      return [400, actionPage(ctx, action, shown, { kind: 'refused', message: (error as Error).message })];
    }
    audit('failed', { error });
    throw error;
  }
}

/** The selection fields of a form, as the action page shows them and carries them to its confirmation. */
function shownFields(fields: ConsoleFields): Array<[string, string]> {
  const names = ['all', 'id', 'subject', 'exact-subject', 'group-key', 'fingerprint', 'since', 'until'];
  return names.flatMap((name) => ([] as string[]).concat(fields[name] ?? []).filter((v) => v !== '').map((v) => [name, v] as [string, string]));
}
