import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { InboxModule } from '../inbox/inbox.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { PostsModule } from '../posts/posts.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { DeliveryReports } from './delivery-reports.js';
import { DeliveryReportsController } from './delivery-reports.controller.js';
import { NetworkAttemptsRepository } from './network-attempts.repository.js';
import { NetworkBackoff } from './network-backoff.js';
import { NetworkStatusController } from './network-status.controller.js';
import { NetworkStatusService } from './network-status.service.js';
import { ProfileSync } from './profile-sync.js';
import { ProtocolAdapterRegistry } from './protocol-adapters.registry.js';
import { PublicationRunner } from './publication-runner.js';

/**
 * The adapter port and its registry, and what drives adapters: the publication
 * runner and profile sync, and the per-network status and backoff they share.
 * Protocol modules register here; processors call in.
 */
@Module({
  imports: [PostsModule, ProfilesModule, InboxModule, OutboxModule, AuditModule],
  controllers: [DeliveryReportsController, NetworkStatusController],
  providers: [
    ProtocolAdapterRegistry,
    PublicationRunner,
    ProfileSync,
    DeliveryReports,
    NetworkAttemptsRepository,
    NetworkBackoff,
    NetworkStatusService,
  ],
  exports: [ProtocolAdapterRegistry, PublicationRunner, ProfileSync, DeliveryReports, NetworkBackoff, NetworkStatusService],
})
export class PublishingModule {}
