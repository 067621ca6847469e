// Runs api-extractor over one public entry: writes its report to `packages/<pkg>/etc/` (update) or
// compares the report of the built `.d.ts` with the checked-in one (check).
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Messages that go into the report (so a change shows in review) and messages that are switched off;
 * any other warning fails the check.
 * - `ae-undocumented` stays out of the report: its lines carry source positions, so an edit above a
 *   declaration would change the report; undocumented names are counted by `publicNames.mjs` instead.
 * - `ae-unresolved-link`: api-extractor resolves `{@link X}` against the entry's exports only, so a
 *   link to a member (`{@link Relay.runOnce}` written `{@link runOnce}`) or to a name of a sibling entry
 *   is reported; editors resolve it by scope, which is where users read it.
 * - No release tags (`@public`, `@beta`): every exported name of a public entry is public.
 */
const EXTRACTOR_MESSAGES = {
  default: { logLevel: 'warning', addToApiReportFile: false },
  'ae-forgotten-export': { logLevel: 'warning', addToApiReportFile: true },
  'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
  'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
  'ae-unresolved-link': { logLevel: 'none', addToApiReportFile: false },
};

/**
 * @param entry a row of `publicEntries()`
 * @param options.check compare with the checked-in report instead of writing it
 * @returns whether it succeeded, whether the report changed, the messages that were not written to the
 *   report (each with its id and text), and the paths of the checked-in and the freshly written report.
 */
export function extractEntry(entry, { check }) {
  if (!existsSync(entry.types)) throw new Error(`${entry.types} is missing: run pnpm build first`);
  const reportTempFolder = join(tmpdir(), 'tx-outbox-api-report', entry.dir);
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: entry.packageFolder,
      mainEntryPointFilePath: entry.types,
      compiler: {
        // Absolute paths: `<projectFolder>` is not expanded inside overrideTsconfig.
        overrideTsconfig: {
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            lib: ['es2022'],
            strict: true,
            skipLibCheck: true,
            experimentalDecorators: true,
            types: ['node'],
          },
          include: [entry.types],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: entry.reportFileName,
        reportFolder: join(entry.packageFolder, 'etc'),
        reportTempFolder,
        includeForgottenExports: true,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: EXTRACTOR_MESSAGES,
        tsdocMessageReporting: { default: { logLevel: 'warning', addToApiReportFile: false } },
      },
    },
    configObjectFullPath: join(entry.packageFolder, 'api-extractor.json'),
    packageJsonFullPath: join(entry.packageFolder, 'package.json'),
  });
  const messages = [];
  const result = Extractor.invoke(config, {
    localBuild: !check,
    showVerboseMessages: false,
    // Every message is collected here, none printed: the caller says what failed and why.
    messageCallback: (message) => {
      message.handled = true;
      if (message.logLevel !== 'error' && message.logLevel !== 'warning') return;
      // "The report changed" is `apiReportChanged`, said by the caller with the diff.
      if (message.messageId.startsWith('console-api-report-')) return;
      messages.push({ id: message.messageId, text: message.formatMessageWithLocation(entry.packageFolder) });
    },
  });
  const reportPath = join(entry.packageFolder, 'etc', entry.reportFileName);
  const builtReportPath = join(reportTempFolder, entry.reportFileName);
  return {
    succeeded: result.succeeded,
    apiReportChanged: result.apiReportChanged,
    messages,
    reportPath,
    builtReportPath,
    /** The report of the built `.d.ts` (in check mode it is written to the temp folder only). */
    builtReport: () => readFileSync(existsSync(builtReportPath) ? builtReportPath : reportPath, 'utf8'),
  };
}
