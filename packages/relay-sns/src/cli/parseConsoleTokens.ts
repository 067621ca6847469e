import { MIN_TOKEN_LENGTH, type ConsoleToken } from '../console/consoleAuth.js';
import { ConfigError } from './ConfigError.js';

const VARIABLE = 'OUTBOX_CONSOLE_TOKENS';

/**
 * Reads `OUTBOX_CONSOLE_TOKENS`: `name=token` pairs separated by commas; a name is letters, digits,
 * `_ . @ -`; a token at least 16 characters without spaces or commas. Errors name the variable and the
 * pair's position, never the token.
 * @throws ConfigError (exit 2)
 */
export function parseConsoleTokens(raw: string | undefined): ConsoleToken[] {
  if (raw === undefined || raw.trim() === '') return [];
  const names = new Set<string>();
  return raw.split(',').map((pair, i) => {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? '' : pair.slice(0, eq).trim();
    const token = eq === -1 ? '' : pair.slice(eq + 1).trim();
    const where = `${VARIABLE} (--console-tokens), entry ${i + 1}`;
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(name)) throw new ConfigError(VARIABLE, `${where} must be name=token, the name of letters, digits, _ . @ - (it is what the audit log records).`);
    if (names.has(name)) throw new ConfigError(VARIABLE, `${where}: the name ${JSON.stringify(name)} is given twice.`);
    if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) throw new ConfigError(VARIABLE, `${where}: the token of ${JSON.stringify(name)} must be at least ${MIN_TOKEN_LENGTH} characters, without spaces (e.g. openssl rand -base64 24).`);
    names.add(name);
    return { name, token };
  });
}

/** The token values given by flag or environment, for the secret mask (read before anything is parsed). */
export function consoleTokenValues(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((pair) => pair.slice(pair.indexOf('=') + 1).trim()).filter((t) => t.length >= 4);
}
