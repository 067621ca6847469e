import { InvalidIdentifierError } from '@tx-outbox/outbox-core';

/** PostgreSQL's unquoted identifier rule, kept strict: no quotes, spaces or dots can slip through. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/**
 * Checks a table/schema/channel name and returns it double-quoted for SQL. Anything that is not a
 * plain identifier is refused before any SQL is built from it.
 *
 * @throws InvalidIdentifierError
 */
export function quoteIdentifier(what: string, name: unknown): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) throw new InvalidIdentifierError(what, name);
  return `"${name}"`;
}

/** Table name options shared by the publisher and the stores. */
export interface TableLocation {
  /** @defaultValue `outbox` (`inbox` for the inbox store) */
  tableName?: string;
  /** @defaultValue the connection's search_path (usually `public`) */
  schema?: string;
}

/** `"schema"."table"` or `"table"`, validated. */
export function qualifiedTableName(location: TableLocation, defaultTable: string): string {
  const table = quoteIdentifier('table name', location.tableName ?? defaultTable);
  return location.schema === undefined ? table : `${quoteIdentifier('schema name', location.schema)}.${table}`;
}

/**
 * The NOTIFY channel the publisher signals and the relay listens on: `<table>_notify`
 * (schema-qualified tables get `<schema>_<table>_notify`), so two outboxes never wake each other.
 */
export function notifyChannel(location: TableLocation, defaultTable = 'outbox'): string {
  const table = location.tableName ?? defaultTable;
  quoteIdentifier('table name', table);
  if (location.schema !== undefined) quoteIdentifier('schema name', location.schema);
  return (location.schema ? `${location.schema}_${table}_notify` : `${table}_notify`).slice(0, 63);
}

/**
 * The wake-up statement for a channel: a plain `NOTIFY`, sent as a simple query. A parameterized
 * `SELECT pg_notify($1, '')` is parsed and planned on every call and answers a row description: on the
 * publisher's hot path it cost the client about four times the CPU.
 */
export function notifyStatement(channel: string): string {
  return `NOTIFY ${quoteIdentifier('notify channel', channel)}`;
}
