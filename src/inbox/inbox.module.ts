import { Global, Module } from '@nestjs/common';
import { InboxEvents } from './inbox-events.js';
import { InboxService } from './inbox.service.js';
import { InteractionsRepository } from './interactions.repository.js';

@Global()
@Module({
  providers: [InboxService, InboxEvents, InteractionsRepository],
  exports: [InboxService, InboxEvents, InteractionsRepository],
})
export class InboxModule {}
