export { AppModule } from './AppModule.js';
export type { AppModuleOptions } from './AppModule.js';
export { createPaymentApp } from './createPaymentApp.js';
export { Payment } from './payments/Payment.js';
export { PaymentService } from './payments/PaymentService.js';
export type { CreatePaymentDto } from './payments/CreatePaymentDto.js';
export { PAYMENT_CREATED } from './payments/PaymentCreatedEvent.js';
export type { PaymentCreatedEvent } from './payments/PaymentCreatedEvent.js';
export { SimulatedFailureError } from './payments/SimulatedFailureError.js';
