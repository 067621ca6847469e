import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One handled `payment.created` event. Deliberately no unique constraint on the message id: a
 * duplicate that slipped past the inbox store would show up here as a second row.
 */
@Entity({ name: 'notifications' })
export class Notification {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', name: 'payment_id' })
  paymentId!: string;

  @Column({ type: 'uuid', name: 'outbox_message_id' })
  outboxMessageId!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'handled_at' })
  handledAt!: Date;
}
