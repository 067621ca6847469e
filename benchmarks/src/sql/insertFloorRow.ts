/** Whatever runs a query in the caller's transaction: a TypeORM EntityManager or QueryRunner. */
export interface ManagerLike {
  query(text: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * The floor of publisher-scale: the one-row insert a user would write by hand into the outbox table,
 * only the columns without a default. The other columns take their defaults, the table's indexes are
 * maintained as for any row, no NOTIFY.
 *
 * $1 uuid   id
 * $2 text   subject
 * $3 jsonb  payload (JSON text)
 */
export async function insertFloorRow(manager: ManagerLike, id: string, subject: string, payload: string): Promise<void> {
  await manager.query('INSERT INTO outbox (id, subject, payload) VALUES ($1, $2, $3)', [id, subject, payload]);
}
