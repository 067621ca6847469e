/** Thrown by `PaymentService.create` on request (`failAfterSend`) after the event was written. */
export class SimulatedFailureError extends Error {
  override readonly name = 'SimulatedFailureError';

  constructor(readonly paymentId: string) {
    super(`Payment ${paymentId} failed on request (failAfterSend) after its event was written; the transaction rolled back.`);
  }
}
