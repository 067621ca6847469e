import { SETTINGS } from './configSpec.js';

export const COMMANDS: Record<string, string> = {
  run: 'Publish outbox messages until SIGTERM/SIGINT (the default command).',
  migrate: 'Create the outbox and inbox tables and indexes if they do not exist.',
  status: 'Print pending, oldest pending age, in flight and dead counts as JSON; --dead N also lists N dead messages.',
  requeue: 'Make dead messages pending again: --all, --id <uuid> (repeatable) or --subject <subject>.',
};

const REQUEUE_FLAGS = [
  '  --all                        requeue every dead message',
  '  --id <uuid>                  requeue this message (repeatable)',
  '  --subject <subject>          requeue the dead messages of this subject',
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
    ...(command === 'requeue' ? ['', 'Selection:', ...REQUEUE_FLAGS] : []),
    ...(command === 'status' ? ['', 'Listing:', '  --dead <n>                   also print up to n dead messages, one JSON line each (newest first)'] : []),
  ].join('\n');
}
