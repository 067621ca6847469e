import { expectedText, isInRange } from '@tx-outbox/outbox-core/internal';
import { BUCKET_RULE, isBucketName, isKeyPrefix, KEY_PREFIX_RULE } from '../claimCheck/ClaimCheckOptions.js';
import { ConfigError } from './ConfigError.js';
import { SETTINGS, type RelayCliConfig, type SettingSpec } from './configSpec.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/**
 * Reads the settings a command uses from flags (winning) and environment variables, validates each,
 * and applies defaults.
 *
 * @throws ConfigError naming the variable (and flag) and what it expects.
 */
export function loadConfig(command: string, flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): RelayCliConfig {
  const config: Record<string, unknown> = {};
  for (const spec of SETTINGS) {
    if (spec.commands && !spec.commands.includes(command)) continue;
    const fromFlag = flags[spec.flag];
    const raw = fromFlag !== undefined ? String(fromFlag) : env[spec.env];
    if (raw === undefined || raw === '') {
      if (spec.required) throw new ConfigError(spec.env, `${spec.env} (--${spec.flag}) is required: ${spec.help}`);
      config[spec.key] = spec.default;
      continue;
    }
    config[spec.key] = parseValue(spec, raw);
  }
  return config as unknown as RelayCliConfig;
}

function parseValue(spec: SettingSpec, raw: string): unknown {
  const fail = (expected: string): never => {
    // ConfigError masks any URL password in the value it quotes.
    throw new ConfigError(spec.env, `${spec.env} (--${spec.flag}) must be ${expected}, got ${JSON.stringify(raw)}.`);
  };
  switch (spec.kind) {
    case 'string':
      return raw;
    case 'identifier':
      return IDENTIFIER.test(raw) ? raw : fail('a SQL identifier (letters, digits, _ or $, not starting with a digit, at most 63 characters)');
    case 'enum':
      return spec.values!.includes(raw) ? raw : fail(`one of ${spec.values!.join(', ')}`);
    case 'boolean':
      if (['true', '1', 'yes', 'on'].includes(raw.toLowerCase())) return true;
      if (['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
      return fail('true or false');
    case 'integer':
    case 'duration':
    case 'number': {
      // Plain decimal only: Number() would also take 0x10, 1e3 and 0b1. Range and wording: core's options kit.
      const n = /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
      return isInRange(spec.kind, n, spec) ? n : fail(expectedText(spec.kind, spec));
    }
    case 'url': {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return fail('a URL');
      }
      if ((spec.key === 'databaseUrl' || spec.key === 'listenDatabaseUrl') && !['postgres:', 'postgresql:'].includes(url.protocol)) {
        return fail('a postgres:// URL');
      }
      if (spec.key === 'endpoint' && !['http:', 'https:'].includes(url.protocol)) return fail('an http:// or https:// URL');
      return raw;
    }
    case 'bucket':
      return isBucketName(raw) ? raw : fail(`an S3 bucket name (${BUCKET_RULE})`);
    case 'keyPrefix':
      return isKeyPrefix(raw) ? raw : fail(KEY_PREFIX_RULE);
    case 'routes':
      return raw; // parsed by parseRoutes, which reports its own errors against the same variable
    case 'tokens':
      return raw; // parsed by parseConsoleTokens, which never quotes a token back
    case 'targets':
      return raw; // parsed against the transport (parseRoutes, claimCheckFromConfig), which report their own errors against the same variable
  }
}
