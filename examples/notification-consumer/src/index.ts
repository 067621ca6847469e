export { startNotificationConsumer } from './startNotificationConsumer.js';
export type { NotificationConsumerOptions, RunningNotificationConsumer } from './startNotificationConsumer.js';
export { NotificationHandler, CONSUMER_NAME } from './NotificationHandler.js';
export { Notification } from './Notification.js';
export { countDelivery } from './countDelivery.js';
export type { DeliveryOutcome } from './countDelivery.js';
