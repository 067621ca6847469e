#!/usr/bin/env node
// Proves the publishable packages work as a user gets them: `pnpm pack` each one, install the
// tarballs with the peers a user's app holds (typeorm@latest, Nest) into a fresh npm project with a
// plain `npm install` (no --legacy-peer-deps, no overrides), then import, require, run the bin and
// type-check there; compile and run the README's Nest snippet as a `nest new` project (commonjs/node),
// a node16 CommonJS project and an ESM project; then installs without typeorm-transactional, and the
// sidecar program (@tx-outbox/outbox-relay) alone, whose bin must migrate and report status. Prints `ok - <check>` or `not ok - <check>: why` per check
// and exits 1 if any failed. Needs `pnpm build` first (pack ships dist/ as it is).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

const LIBRARY_FILES = ['package/package.json', 'package/README.md', 'package/LICENSE', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/index.d.cts'];
const PACKAGES = [
  { name: '@tx-outbox/outbox-core', dir: 'packages/outbox-core', files: LIBRARY_FILES },
  { name: '@tx-outbox/outbox-typeorm', dir: 'packages/outbox-typeorm', files: LIBRARY_FILES },
  { name: '@tx-outbox/relay-sns', dir: 'packages/relay-sns', files: LIBRARY_FILES },
  // The sidecar program: a bin over relay-sns's CLI, no code of its own.
  { name: '@tx-outbox/outbox-relay', dir: 'packages/outbox-relay', files: ['package/package.json', 'package/README.md', 'package/LICENSE', 'package/bin/outbox-relay.js'], program: true },
];
const LIBRARIES = PACKAGES.filter((p) => !p.program);

// What a user's app installs next to the packages: the one copy of each peer. typeorm@latest is what
// `npm install typeorm` gives a new user (1.x); the packages' peer range must accept it without flags.
const PEERS = [
  'typeorm@latest',
  'pg@8.23.1',
  'typeorm-transactional@0.5.0',
  'reflect-metadata@0.2.2',
  '@aws-sdk/client-sns@3.1169.0',
  '@aws-sdk/client-sqs@3.1169.0',
  // A Nest app's own: the `/nest` entry points import them (optional peers; the roots do not).
  '@nestjs/common@12.5.1',
  '@nestjs/core@12.5.1',
  '@nestjs/typeorm@12.0.2',
  '@nestjs/cqrs@12.0.0',
  'rxjs@7.8.2',
];
// The sidecar is `npm install @tx-outbox/outbox-relay` and nothing else (the README's line): pino,
// prom-client, pg and the AWS SDK come with it, and no TypeORM (typeorm and typeorm-transactional are
// optional peers of the libraries). The libraries' tarballs are there only because npm cannot fetch
// them from the registry. prom-client and pino are optional peers of relay-sns, so the app install
// above proves the libraries import without them.
const SIDECAR_PROBE = `const { SnsTransport } = await import('@tx-outbox/relay-sns');
const { PostgresOutboxStore } = await import('@tx-outbox/outbox-typeorm/postgres');
if (typeof SnsTransport !== 'function' || typeof PostgresOutboxStore !== 'function') throw new Error('exports missing');
`;
const SINGLE_COPY = ['typeorm', 'pg', 'typeorm-transactional', '@aws-sdk/client-sns', '@aws-sdk/client-sqs', ...LIBRARIES.map((p) => p.name)];

// Entry point → exports that must be there at runtime.
const ENTRY_POINTS = {
  '@tx-outbox/outbox-core': ['Relay', 'handleOnce', 'InMemoryInboxStore', 'OutboxError'],
  '@tx-outbox/outbox-core/testing': ['InMemoryOutboxStore', 'TestTransport'],
  '@tx-outbox/outbox-core/internal': ['prepareMessages', 'checkInteger', 'errorText', 'maskUrlPasswords'],
  '@tx-outbox/outbox-typeorm': ['TransactionalOutbox', 'OutboxMessageEntity', 'createOutboxMigration'],
  '@tx-outbox/outbox-typeorm/postgres': ['PostgresOutboxStore', 'PostgresInboxStore', 'OutboxAdmin'],
  '@tx-outbox/outbox-typeorm/internal': ['executorFromPg', 'OutboxMaintenance', 'OutboxInspector'],
  '@tx-outbox/outbox-typeorm/nest': ['OutboxModule'],
  '@tx-outbox/outbox-typeorm/cqrs': ['OutboxCqrsModule', 'OutboxEventBridge', 'OutboxEvent'],
  '@tx-outbox/relay-sns': ['SnsTransport', 'SqsTransport', 'SqsConsumer', 'createSqsLambdaHandler', 'outboxMessageHandler'],
  '@tx-outbox/relay-sns/nest': ['OutboxRelayModule', 'OutboxRelayHealthIndicator', 'OutboxConsumerModule', 'OnOutboxMessage', 'OutboxConsoleModule'],
  '@tx-outbox/relay-sns/console': ['createOutboxConsoleHandler'],
};

// Without NODE_PATH: pnpm's bin shims (npx vitest, pnpm test) set it to the workspace's store, through
// which the fresh project would find packages it never installed.
const { NODE_PATH: _workspaceStore, ...userEnv } = process.env;
// npm settings that change only speed and reporting, never what is resolved: the cache first, no audit/fund calls.
const npmQuiet = { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
const childEnv = { ...userEnv, ...npmQuiet, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
let failures = 0;

/** Runs a command; returns its stdout, or throws an Error carrying the tail of stdout + stderr. */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, env: childEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    throw new Error(`${command} ${args.join(' ')} failed (${why}):\n${output.trim().split('\n').slice(-25).join('\n')}`);
  }
  return result.stdout;
}

async function check(name, body) {
  try {
    const detail = await body();
    console.log(`ok - ${name}${detail ? ` (${detail})` : ''}`);
    return true;
  } catch (error) {
    failures++;
    console.log(`not ok - ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

async function packAll(packDir) {
  for (const pkg of PACKAGES) {
    if (!pkg.program && !existsSync(join(ROOT, pkg.dir, 'dist/index.js'))) throw new Error(`${pkg.dir}/dist is missing: run pnpm build first`);
    run('pnpm', ['--filter', pkg.name, 'pack', '--pack-destination', packDir], ROOT);
  }
  const tarballs = (await readdir(packDir)).filter((f) => f.endsWith('.tgz')).map((f) => join(packDir, f));
  if (tarballs.length !== PACKAGES.length) throw new Error(`expected ${PACKAGES.length} tarballs, got ${tarballs.join(', ')}`);
  const problems = [];
  for (const tarball of tarballs) {
    const files = run('tar', ['-tzf', tarball], packDir).split('\n').filter(Boolean);
    for (const required of PACKAGES.find((p) => p.name === tarballName(tarball)).files) {
      if (!files.includes(required)) problems.push(`${tarball} lacks ${required}`);
    }
    const unwanted = files.filter((f) => /\.tsbuildinfo$|(^|\/)test\/|\.test\.[cm]?[jt]s$|\.spec\.[cm]?[jt]s$|(^|\/)node_modules\//.test(f));
    if (unwanted.length > 0) problems.push(`${tarball} ships ${unwanted.join(', ')}`);
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return tarballs;
}

/** A fresh npm project holding `specs` (tarball paths and peers), installed with `npm install ...npmFlags`; returns its directory. */
async function createApp(specs, npmFlags = []) {
  const appDir = await mkdtemp(join(tmpdir(), 'tx-outbox-app-'));
  try {
    const dependencies = Object.fromEntries(specs.map((spec) => (spec.endsWith('.tgz') ? [tarballName(spec), `file:${spec}`] : splitSpec(spec))));
    await writeFile(join(appDir, 'package.json'), JSON.stringify({ name: 'pack-check-app', version: '1.0.0', private: true, dependencies }, null, 2));
    // Exactly what a user types: no --legacy-peer-deps, no overrides.
    run('npm', ['install', ...npmFlags], appDir);
    return appDir;
  } catch (error) {
    await rm(appDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * `@scope/name@range` → [name, range]. A dist-tag is saved as `npm install name@tag` saves it:
 * `^<the version it points to>` (npm ls counts a bare tag in package.json as invalid).
 */
function splitSpec(spec) {
  const at = spec.lastIndexOf('@');
  const [name, range] = [spec.slice(0, at), spec.slice(at + 1)];
  if (/^[a-z]/i.test(range)) return [name, `^${run('npm', ['view', `${name}@${range}`, 'version'], ROOT).trim()}`];
  return [name, range];
}

/** The package name inside a packed tarball, from pnpm's file name (`tx-outbox-outbox-core-0.1.0.tgz`). */
function tarballName(path) {
  const pkg = PACKAGES.find((p) => path.includes(p.name.replace('@', '').replace('/', '-') + '-'));
  if (!pkg) throw new Error(`no package for tarball ${path}`);
  return pkg.name;
}

/** What an app installs: the libraries, not the sidecar program. */
function libraryTarballs(tarballs) {
  return tarballs.filter((t) => LIBRARIES.some((p) => p.name === tarballName(t)));
}

async function checkSidecar(tarballs) {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set: migrate and status need a PostgreSQL database');
  // As the README's image installs it: without the optional emulator, whose own dependencies (fastify's
  // pino among them) would otherwise hide one the program forgot.
  const appDir = await createApp(tarballs, ['--omit=optional']);
  try {
    if (existsSync(join(appDir, 'node_modules/typeorm'))) throw new Error('typeorm was installed though no one asked for it');
    if (existsSync(join(appDir, 'node_modules/fauxqs'))) throw new Error('fauxqs was installed despite --omit=optional');
    run('npm', ['ls', '--all', '--omit=optional'], appDir);
    await writeFile(join(appDir, 'probe.mjs'), SIDECAR_PROBE);
    run(process.execPath, ['probe.mjs'], appDir);
    const help = run('npx', ['--no', '--', 'outbox-relay', '--help'], appDir);
    if (!/outbox-relay/.test(help)) throw new Error(`help text does not name outbox-relay:\n${help}`);
    run(join(appDir, 'node_modules/.bin/outbox-relay'), ['migrate'], appDir);
    const status = JSON.parse(run(join(appDir, 'node_modules/.bin/outbox-relay'), ['status'], appDir));
    if (typeof status.pending !== 'number') throw new Error(`status printed ${JSON.stringify(status)}`);
    return `migrate, then status: ${JSON.stringify(status)}`;
  } finally {
    await rm(appDir, { recursive: true, force: true });
  }
}

/** Script text that loads every entry point with `load` ('await import' or 'require'). */
function entryProbe(load, verb) {
  return `const entries = ${JSON.stringify(ENTRY_POINTS)};
for (const [specifier, names] of Object.entries(entries)) {
  const mod = ${load}(specifier);
  const missing = names.filter((n) => typeof mod[n] !== 'function');
  if (missing.length > 0) throw new Error(specifier + ' lacks ' + missing.join(', '));
}
// The console reads its script, styles and uPlot from the installed packages when it is created.
(${load}('@tx-outbox/relay-sns/console')).createOutboxConsoleHandler({ pool: { query: async () => ({ rows: [], rowCount: 0 }) } });
console.log('${verb} ' + Object.keys(entries).length + ' entry points');
`;
}

// Uses values and types from every entry point, so a `types` condition that does not resolve fails.
const TYPES_PROBE = `import { Relay, handleOnce, InMemoryInboxStore, type OutboxStore, type Transport, type InboxStore } from '@tx-outbox/outbox-core';
import { InMemoryOutboxStore, TestTransport } from '@tx-outbox/outbox-core/testing';
import { TransactionalOutbox, OutboxMessageEntity, type TransactionalOutboxOptions } from '@tx-outbox/outbox-typeorm';
import { PostgresOutboxStore, PostgresInboxStore, type PostgresOutboxStoreOptions } from '@tx-outbox/outbox-typeorm/postgres';
import { OutboxModule } from '@tx-outbox/outbox-typeorm/nest';
import { OutboxRelayModule, OutboxConsumerModule } from '@tx-outbox/relay-sns/nest';
import { SnsTransport, SqsTransport, SqsConsumer, type SnsTransportOptions } from '@tx-outbox/relay-sns';

const store: OutboxStore = new InMemoryOutboxStore();
const transport: Transport = new TestTransport();
const inbox: InboxStore = new InMemoryInboxStore();
export const used: unknown[] = [Relay, handleOnce, store, transport, inbox, TransactionalOutbox, OutboxMessageEntity,
  PostgresOutboxStore, PostgresInboxStore, OutboxModule, OutboxRelayModule, OutboxConsumerModule, SnsTransport, SqsTransport, SqsConsumer];
export type Used = [TransactionalOutboxOptions, PostgresOutboxStoreOptions, SnsTransportOptions];
`;
// Nest 12's @nestjs/common is ESM-only: a module:node16 CommonJS project cannot import it, nor so the
// /nest entry points (Nest's own CommonJS users compile with classic resolution: the nest checks below).
const TYPES_PROBE_NODE16_CJS = TYPES_PROBE.replace(/^import .*\/nest';\n/gm, '').replace(', OutboxModule, OutboxRelayModule, OutboxConsumerModule', '');

// The README's Nest wiring (examples/snippets/src/nestWiring.ts, which test/docs.test.ts holds to the
// README), compiled and run in each setting a user's project may have.
const NEST_SNIPPET = join(ROOT, 'examples/snippets/src/nestWiring.ts');
const NEST_MAIN = `import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { TransactionalOutbox } from '@tx-outbox/outbox-typeorm';
import { DataSource } from 'typeorm';
import { initializeTransactionalContext, runInTransaction, StorageDriver } from 'typeorm-transactional';
import { AppModule } from './nestWiring.js';

// Commit one event and roll one back through the module the snippet wires; exactly one must remain.
async function main(): Promise<void> {
  initializeTransactionalContext({ storageDriver: StorageDriver.AUTO });
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  try {
    const outbox = app.get(TransactionalOutbox);
    const subject = 'pack-check.' + process.argv[2];
    await runInTransaction(() => outbox.sendEvent({ subject, body: {} }));
    await runInTransaction(async () => {
      await outbox.sendEvent({ subject, body: {} });
      throw new Error('roll back');
    }).catch(() => undefined);
    const rows = await app.get(DataSource).query('SELECT count(*)::int AS n FROM outbox WHERE subject = $1', [subject]);
    if (rows[0].n !== 1) throw new Error('expected 1 committed event, found ' + rows[0].n);
    console.log('1 event committed, 1 rolled back (' + subject + ')');
  } finally {
    await app.close();
  }
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;
// Shared by the three settings; `nest new` also sets these.
const NEST_COMPILER_OPTIONS = {
  target: 'ES2022', strict: true, strictPropertyInitialization: false, experimentalDecorators: true, emitDecoratorMetadata: true,
  skipLibCheck: true, outDir: 'dist', rootDir: 'src', types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')],
};
const NEST_SETTINGS = {
  'commonjs/node': { type: 'commonjs', compilerOptions: { module: 'commonjs', moduleResolution: 'node' } },
  // Nest 12 itself is ESM: a CommonJS project must let TypeScript model require(esm), which nodenext does
  // (TypeScript 5.8+); under module node16 even @nestjs/core is refused (TS1479). See the types checks below.
  'nodenext (commonjs)': { type: 'commonjs', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } },
  'esm (nodenext)': { type: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } },
};

/** A project of one setting inside the installed app (it resolves the app's node_modules): compile, then run. */
async function checkNestSnippet(appDir, label) {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set: the snippet needs a PostgreSQL database to run against');
  const setting = NEST_SETTINGS[label];
  const dir = join(appDir, label.replace(/[^a-z0-9]+/gi, '-'));
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'nest-app', private: true, type: setting.type }, null, 2));
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...NEST_COMPILER_OPTIONS, ...setting.compilerOptions }, include: ['src'] }, null, 2));
  await copyFile(NEST_SNIPPET, join(dir, 'src/nestWiring.ts'));
  await writeFile(join(dir, 'src/main.ts'), NEST_MAIN);
  run(process.execPath, [TSC, '-p', 'tsconfig.json'], dir);
  return run(process.execPath, ['dist/main.js', label.split(' ')[0].replace('/', '-')], dir).trim().split('\n').at(-1);
}

// An app on @nestjs-cls/transactional or plain TypeORM: no typeorm-transactional installed.
const NO_TT_PEERS = ['typeorm@latest', 'pg@8.23.1', 'reflect-metadata@0.2.2'];
const NO_TT_PROBE = `const { TransactionalOutbox, CreateOutboxTable1700000000000 } = await import('@tx-outbox/outbox-typeorm');
const required = require('@tx-outbox/outbox-typeorm');
if (typeof CreateOutboxTable1700000000000 !== 'function') throw new Error('exports missing');
// No Nest here either: the root imported without @nestjs/common; the /nest entry names what it needs.
const nest = await import('@tx-outbox/outbox-typeorm/nest').then(() => null, (e) => e);
if (!/@nestjs\\/common/.test(String(nest?.message))) throw new Error('the /nest entry should ask for @nestjs/common, got: ' + nest);
if (required.TransactionalOutbox !== TransactionalOutbox) throw new Error('require() and import gave two copies of TransactionalOutbox');
const error = await new TransactionalOutbox().sendEvent({ subject: 's', body: {} }).then(() => null, (e) => e);
if (error?.name !== 'OutboxNotInTransactionError' || !/not installed/.test(error.message)) throw new Error('unexpected: ' + error);
console.log('imported and required without typeorm-transactional; sendEvent says: ' + error.name);
`;

async function checkWithoutTypeormTransactional(tarballs) {
  const appDir = await createApp([...libraryTarballs(tarballs), ...NO_TT_PEERS]);
  try {
    if (existsSync(join(appDir, 'node_modules/typeorm-transactional'))) throw new Error('typeorm-transactional was installed though no one asked for it');
    run('npm', ['ls', '--all'], appDir);
    await writeFile(join(appDir, 'probe.mjs'), `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${NO_TT_PROBE}`);
    return run(process.execPath, ['probe.mjs'], appDir).trim().split('\n').at(-1);
  } finally {
    await rm(appDir, { recursive: true, force: true });
  }
}

async function main() {
  const packDir = await mkdtemp(join(tmpdir(), 'tx-outbox-pack-'));
  let appDir;
  const started = Date.now();
  try {
    let tarballs = [];
    const packed = await check('pack: tarballs have README.md, LICENSE, dist; no tsbuildinfo or tests', async () => {
      tarballs = await packAll(packDir);
      return tarballs.length + ' tarballs';
    });
    const installed =
      packed &&
      (await check('install: tarballs + peers into a fresh npm project', async () => {
        appDir = await createApp([...libraryTarballs(tarballs), ...PEERS]);
      }));
    if (installed) {
      await check('peers: npm ls reports no missing or invalid dependency', async () => {
        run('npm', ['ls', '--all'], appDir);
      });
      await check(`single copy: ${SINGLE_COPY.join(', ')}`, async () => {
        const extra = [];
        for (const name of SINGLE_COPY) {
          const nodes = JSON.parse(run('npm', ['query', `#${name}`], appDir));
          const locations = [...new Set(nodes.map((n) => n.location))];
          if (locations.length !== 1) extra.push(`${name} at ${locations.join(', ') || 'nowhere'}`);
          // Our own packages must come from the tarballs, never from the registry.
          const foreign = nodes.filter((n) => name.startsWith('@tx-outbox/') && !String(n.resolved).endsWith('.tgz'));
          if (foreign.length > 0) extra.push(`${name} resolved from ${foreign[0].resolved}`);
        }
        if (extra.length > 0) throw new Error(extra.join('; '));
      });
      await check('esm: import every entry point', async () => {
        await writeFile(join(appDir, 'probe.mjs'), entryProbe('await import', 'imported'));
        return run(process.execPath, ['probe.mjs'], appDir).trim().split('\n').at(-1);
      });
      await check('cjs: require() every entry point', async () => {
        await writeFile(join(appDir, 'probe.cjs'), entryProbe('require', 'required'));
        return run(process.execPath, ['--no-warnings', 'probe.cjs'], appDir).trim().split('\n').at(-1);
      });
      await check('bin: the libraries install no outbox-relay bin (the program package has it)', async () => {
        if (existsSync(join(appDir, 'node_modules/.bin/outbox-relay'))) throw new Error('node_modules/.bin/outbox-relay exists: two packages with one bin name would conflict');
      });
      await check('types node16 (commonjs): a CommonJS project compiles every entry point (require condition) and runs it', async () => {
        const dir = join(appDir, 'node16-cjs');
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'node16-cjs', private: true, type: 'commonjs' }));
        await writeFile(join(dir, 'probe.ts'), TYPES_PROBE_NODE16_CJS + 'console.log(used.filter((u) => u !== undefined).length + " values required");\n');
        const compilerOptions = { module: 'node16', moduleResolution: 'node16', target: 'ES2022', strict: true, experimentalDecorators: true, skipLibCheck: false, types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] };
        await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['probe.ts'] }, null, 2));
        run(process.execPath, [TSC, '-p', 'tsconfig.json'], dir);
        return run(process.execPath, ['probe.js'], dir).trim().split('\n').at(-1);
      });
      await check('types: tsc --noEmit (nodenext) resolves types through exports', async () => {
        await writeFile(join(appDir, 'probe.mts'), TYPES_PROBE);
        const tsconfig = {
          compilerOptions: {
            module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', strict: true, noEmit: true,
            experimentalDecorators: true, skipLibCheck: false,
            // @types/node is the repo's own: a TypeScript user has it, and it spares a download.
            types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')],
          },
          files: ['probe.mts'],
        };
        await writeFile(join(appDir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
        run(process.execPath, [TSC, '-p', 'tsconfig.json'], appDir);
      });
      for (const label of Object.keys(NEST_SETTINGS)) {
        await check(`nest ${label}: the README's Nest snippet compiles and runs`, () => checkNestSnippet(appDir, label));
      }
    }
    if (packed) {
      await check('no typeorm-transactional: the package imports, requires, and names what is missing', () => checkWithoutTypeormTransactional(tarballs));
      await check('sidecar: npm install @tx-outbox/outbox-relay alone (no typeorm, no peers to add, --omit=optional) runs --help, migrate and status', () => checkSidecar(tarballs));
    }
  } finally {
    await rm(packDir, { recursive: true, force: true });
    if (appDir) await rm(appDir, { recursive: true, force: true });
  }
  console.log(`${failures === 0 ? 'pack-check passed' : `pack-check failed: ${failures} check(s)`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exitCode = failures === 0 ? 0 : 1;
}

await main();
