import { Module } from '@nestjs/common';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { OutboxSweep } from './outbox-sweep.js';
import { Outbox } from './outbox.js';
import { OutboxRepository } from './outbox.repository.js';

/** After-commit work: written with the change, enqueued after commit, re-driven by the sweep. */
@Module({
  providers: [Outbox, OutboxRepository, OutboxDispatcher, OutboxSweep],
  exports: [Outbox],
})
export class OutboxModule {}
