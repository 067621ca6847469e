// What a test file opened and must close before it ends. createTestDatabase's drop() reports the
// sessions still connected before it drops the database (DROP … WITH (FORCE) would hide them), and the
// test setup (test/leakGuard.setup.ts) calls assertNothingLeft() after each file's own afterAll hooks,
// so a leak fails its file with a message naming everything that was left.

interface Tracked {
  label: string;
  /** Where it was opened: the first stack frame outside the devkit. */
  site: string;
  isOpen: () => boolean;
}

const tracked = new Set<Tracked>();
const databases = new Map<string, string>();
const found: string[] = [];

/** Something a test opens: a relay or consumer (`running`), or a pg pool (`ended`). */
export type Closable = { running: boolean } | { ended: boolean };

/**
 * Registers `resource` so the file fails if it is still running (relay, consumer) or open (pg pool)
 * when the file ends. Returns it, so `const relay = track(new Relay(...), 'relay')` reads naturally.
 */
export function track<T extends Closable>(resource: T, label: string): T {
  const isOpen = 'running' in resource ? () => (resource as { running: boolean }).running : () => !(resource as { ended: boolean }).ended;
  tracked.add({ label, site: callerSite(), isOpen });
  return resource;
}

/** Records a test database until it is dropped (createTestDatabase does this). */
export function trackDatabase(name: string, dropped: boolean): void {
  if (dropped) databases.delete(name);
  else databases.set(name, callerSite());
}

/** Records leftovers found elsewhere (createTestDatabase's drop() finds open sessions). */
export function reportLeftovers(leftovers: readonly string[]): void {
  found.push(...leftovers);
}

/** Thrown when a test file leaves something open; its message lists every leftover. */
export class LeakError extends Error {
  constructor(readonly leftovers: string[]) {
    super(
      `the test file left ${leftovers.length} thing(s) open: close them in afterEach/afterAll ` +
        `(relay.stop(), consumer.stop(), pool.end(), dataSource.destroy(), db.drop()):\n  - ${leftovers.join('\n  - ')}`,
    );
    this.name = 'LeakError';
  }
}

/** Throws {@link LeakError} naming every tracked resource still open and every test database not dropped; then forgets them. */
export function assertNothingLeft(): void {
  const leftovers = [
    ...found,
    ...[...tracked].filter((t) => t.isOpen()).map((t) => `${t.label} still open (opened at ${t.site})`),
    ...[...databases].map(([name, site]) => `test database ${name} never dropped (created at ${site})`),
  ];
  tracked.clear();
  databases.clear();
  found.length = 0;
  if (leftovers.length > 0) throw new LeakError(leftovers);
}

function callerSite(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1).map((line) => line.trim().replace(/^at /, ''));
  return frames.find((frame) => !frame.includes('/tools/devkit/') && !frame.includes('node:internal')) ?? 'unknown';
}
