import { readFileSync } from 'node:fs';

/** The installed @tx-outbox/relay-sns version, for `outbox-relay --version` (dist/cli/ is two levels below package.json). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
