export { BullMqMessageQueue, type BullMqMessageQueueOptions } from './bullmq-message-queue.js';
