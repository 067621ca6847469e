// The `outbox-relay` sidecar. Exit codes: 0 done, 1 failed, 2 invalid configuration or usage.
import { parseArgs } from 'node:util';
import { createSecretMask } from '@tx-outbox/outbox-core/internal';
import { ConfigError } from './ConfigError.js';
import { SETTINGS } from './configSpec.js';
import { COMMANDS, helpText } from './helpText.js';
import { loadConfig } from './loadConfig.js';
import { createSidecarLogger, type LogFormat, type LogLevel, type Logger } from './logger.js';
import { consoleCommand } from './commands/console.js';
import { dev } from './commands/dev.js';
import { migrate } from './commands/migrate.js';
import { consoleTokenValues } from './parseConsoleTokens.js';
import { operateOnMessages } from './commands/operateOnMessages.js';
import { parseSelection } from './parseSelection.js';
import { run } from './commands/run.js';
import { status } from './commands/status.js';
import { packageVersion } from './packageVersion.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Every line the CLI prints goes through one mask (the logger's lines too): the passwords of the
// connection strings it was given, wherever and however they show (an error, a setting echoed back, a
// stack), any other connection string's password it can find, and the console's tokens.
const urlMask = createSecretMask(secretSettings(process.argv.slice(2), process.env, 'url'));
const tokens = secretSettings(process.argv.slice(2), process.env, 'tokens').flatMap(consoleTokenValues);
const mask = (line: string) => tokens.reduce((out, token) => out.split(token).join('***'), urlMask(line));
const print = (line: string) => process.stdout.write(mask(line) + '\n');
const printError = (line: string) => process.stderr.write(mask(`outbox-relay: ${line}`) + '\n');

/** The settings of a secret kind (connection strings, tokens) given by flag or environment, read before anything is parsed or can fail. */
function secretSettings(argv: readonly string[], env: NodeJS.ProcessEnv, kind: 'url' | 'tokens'): Array<string | undefined> {
  const keys = SETTINGS.filter((s) => s.kind === kind);
  const values: Array<string | undefined> = keys.map((s) => env[s.env]);
  for (let i = 0; i < argv.length; i++) {
    for (const s of keys) {
      const flag = `--${s.flag}`;
      if (argv[i] === flag) values.push(argv[i + 1]);
      else if (argv[i]!.startsWith(`${flag}=`)) values.push(argv[i]!.slice(flag.length + 1));
    }
  }
  return values;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        all: { type: 'boolean' },
        id: { type: 'string', multiple: true },
        subject: { type: 'string' },
        'exact-subject': { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        'dry-run': { type: 'boolean' },
        yes: { type: 'boolean' },
        dead: { type: 'string' },
        ...Object.fromEntries(SETTINGS.map((s) => [s.flag, { type: s.kind === 'boolean' ? ('boolean' as const) : ('string' as const) }])),
      },
    });
  } catch (error) {
    printError(`${(error as Error).message}. See outbox-relay --help.`);
    return 2;
  }
  if (parsed.values.version) {
    print(packageVersion());
    return 0;
  }
  const [given, ...rest] = parsed.positionals;
  if (given === 'help' || (parsed.values.help && (given === undefined || !(given in COMMANDS)))) {
    print(helpText(rest[0]));
    return 0;
  }
  const command = given ?? 'run';
  if (!(command in COMMANDS)) {
    printError(`unknown command ${JSON.stringify(command)}; expected one of ${Object.keys(COMMANDS).join(', ')}.`);
    return 2;
  }
  if (parsed.values.help) {
    print(helpText(command));
    return 0;
  }
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  const level = (flags['log-level'] ?? process.env.OUTBOX_LOG_LEVEL ?? 'info') as LogLevel;
  const format = (flags['log-format'] ?? process.env.OUTBOX_LOG_FORMAT ?? 'json') as LogFormat;
  let logger: Logger;
  try {
    // A bad level or format is reported by loadConfig below, naming the variable.
    logger = createSidecarLogger({ level: ['debug', 'info', 'warn', 'error'].includes(level) ? level : 'info', format: format === 'pretty' ? 'pretty' : 'json', mask });
  } catch (error) {
    printError((error as Error).message);
    return 2;
  }
  try {
    const config = loadConfig(command, flags, process.env);
    switch (command) {
      case 'migrate':
        return await migrate(config, logger);
      case 'dev':
        return await dev(config, logger, print);
      case 'status':
        return await status(config, logger, print, deadLimit(parsed.values.dead));
      case 'requeue':
      case 'republish':
      case 'purge': {
        const selection = parseSelection(command, parsed.values);
        const operation = { dryRun: parsed.values['dry-run'] === true, yes: parsed.values.yes === true };
        return await operateOnMessages(command, config, selection, operation, logger, print);
      }
      case 'console':
        return await consoleCommand(config, logger);
      default:
        return await run(config, logger);
    }
  } catch (error) {
    if (error instanceof ConfigError || ['InvalidOptionError', 'ConfirmationRequiredError', 'MissingPeerDependencyError'].includes((error as Error)?.name)) {
      printError((error as Error).message);
      return 2;
    }
    // The table to work on is missing or of an old layout: one line naming the fix, not a stack.
    if ((error as Error)?.name === 'OutboxTableError') {
      printError((error as Error).message);
      return 1;
    }
    logger.error(`${command} failed`, { error });
    return 1;
  }
}

/** `status --dead N`: list up to N dead messages (1 to 10000). */
function deadLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 10_000) throw new ConfigError('dead', `--dead must be a number of messages between 1 and 10000, got ${JSON.stringify(raw)}.`);
  return n;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    printError(String((error as Error)?.stack ?? error));
    process.exit(1);
  },
);
