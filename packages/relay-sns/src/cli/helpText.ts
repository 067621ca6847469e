import { SETTINGS } from './configSpec.js';

export const COMMANDS: Record<string, string> = {
  run: 'Publish outbox messages until SIGTERM/SIGINT (the default command).',
  migrate: 'Create the outbox and inbox tables and indexes if they do not exist.',
  status: 'Print pending, oldest pending age, in flight and dead counts as JSON; --dead N also lists N dead messages.',
  requeue: 'Make dead messages pending again (attempts reset). Select with --all, --id, --subject, --exact-subject, --since, --until.',
  republish: 'Publish sent messages again, same ids (consumers that dedup skip them). Select with --id, --subject, --exact-subject, --since, --until.',
  purge: 'Delete dead messages for good. Select with --all, --id, --subject, --exact-subject, --since, --until.',
  console: 'Serve the operator console (read-only unless OUTBOX_CONSOLE_WRITES) until SIGTERM/SIGINT.',
  dev: 'Start a local SNS/SQS emulator, create the topics, queues and subscriptions OUTBOX_ROUTES names, print the environment to export; until Ctrl-C.',
};

/** The selection and confirmation flags of requeue, republish and purge. */
const SELECTION_FLAGS = [
  '  --all                        every message of the kind (dead for requeue/purge, sent for republish)',
  '  --id <uuid>                  this message (repeatable)',
  '  --subject <pattern>          a subject (payment.created), every subject under a segment (payment.*), or * for all',
  '  --exact-subject <subject>    one subject exactly as written, a * in it included',
  '  --since <time>               created at or after: ISO date or date-time, UTC unless it has an offset',
  '                               (2026-11-29, 2026-11-29T13:00:00+01:00), or an age (90m, 1h, 2d)',
  '  --until <time>               created before: same forms',
  '  --dry-run                    print how many messages match; change nothing',
  '  --yes                        confirm a republish or purge of more than OUTBOX_CONFIRM_ABOVE messages',
];

/** `outbox-relay --help` and `outbox-relay <command> --help`. */
export function helpText(command?: string): string {
  if (!command || !(command in COMMANDS)) {
    return [
      'Usage: outbox-relay [command] [flags]',
      '',
      'Commands:',
      ...Object.entries(COMMANDS).map(([name, text]) => `  ${name.padEnd(10)} ${text}`),
      '',
      'Run `outbox-relay <command> --help` for its settings. Every flag has an environment variable.',
    ].join('\n');
  }
  const settings = SETTINGS.filter((s) => !s.commands || s.commands.includes(command));
  return [
    `Usage: outbox-relay ${command} [flags]`,
    '',
    COMMANDS[command],
    '',
    'Settings (flag, environment variable, default):',
    ...settings.map((s) => {
      const def = s.required ? 'required' : s.default === undefined ? 'unset' : `default ${s.default}`;
      return `  --${s.flag.padEnd(26)} ${s.env} (${def})\n      ${s.help}`;
    }),
    ...(['requeue', 'republish', 'purge'].includes(command) ? ['', 'Selection (all given filters must match):', ...SELECTION_FLAGS] : []),
    ...(command === 'status' ? ['', 'Listing:', '  --dead <n>                   also print up to n dead messages, one JSON line each (newest first)'] : []),
  ].join('\n');
}
