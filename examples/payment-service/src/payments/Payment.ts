import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A payment. Every column names its type, so the entity works without decorator metadata too. */
@Entity({ name: 'payments' })
export class Payment {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', name: 'customer_id' })
  customerId!: string;

  @Column({ type: 'integer', name: 'amount_cents' })
  amountCents!: number;

  @Column({ type: 'text' })
  currency!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
