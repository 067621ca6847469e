// README (outbox-typeorm), "Send events": sendEvent inside a @Transactional() method.
import type { DataSource } from 'typeorm';

declare const dataSource: DataSource;
declare class Payment {
  id: string;
  amount: number;
  accountId: string;
}

// #region send-event
import { addTransactionalDataSource, initializeTransactionalContext, StorageDriver, Transactional } from 'typeorm-transactional';
import type { Repository } from 'typeorm';
import { TransactionalOutbox } from '@tx-outbox/outbox-typeorm';

initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE }); // once, before the app starts
addTransactionalDataSource(dataSource);      // registered as 'default'

const outbox = new TransactionalOutbox();

class PaymentService {
  constructor(private readonly payments: Repository<Payment>) {}

  @Transactional()
  async pay(payment: Payment) {
    await this.payments.save(payment);
    await outbox.sendEvent({
      subject: 'payment.created',
      body: { paymentId: payment.id, amount: payment.amount },
      groupKey: payment.accountId, // optional: ordering key / FIFO MessageGroupId
    });
    // If anything below throws, neither the payment nor the event is kept.
  }
}
// #endregion send-event
