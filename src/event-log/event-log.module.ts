import { Module } from '@nestjs/common';
import { EventLogRetention } from './event-log-retention.js';
import { EventLogTail } from './event-log-tail.js';
import { EventLogRepository } from './event-log.repository.js';

/** The log of changes consoles follow live (inbox, publications): written in the change's transaction, tailed on NOTIFY. */
@Module({
  providers: [EventLogRepository, EventLogTail, EventLogRetention],
  exports: [EventLogRepository, EventLogTail, EventLogRetention],
})
export class EventLogModule {}
