// README (outbox-typeorm), "Without TypeORM": insertOutboxMessages on a pg client in your own transaction.
import { insertOutboxMessages } from '@tx-outbox/outbox-typeorm/postgres';
import type pg from 'pg';

export async function placeOrder(pool: pg.Pool, order: { id: string; total: number }) {
  // #region pg
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO orders (id, total) VALUES ($1, $2)', [order.id, order.total]);
    await insertOutboxMessages(client, [{ subject: 'order.placed', body: order }]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  // #endregion pg
}
