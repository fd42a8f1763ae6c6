import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Outbox } from '../outbox/outbox.js';
import type { BlockNoticeWork, OutboxJob } from '../outbox/outbox-message.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import { failureClassOf } from '../publishing/protocol-adapter.js';
import { ProtocolAdapterRegistry } from '../publishing/protocol-adapters.registry.js';
import { QUEUES } from '../queue/queues.js';

/** Sends account blocks to the network through the adapter (AP Block activity, Bluesky block record). */
@Processor(QUEUES.blockDelivery)
export class BlockNoticeProcessor extends WorkerHost {
  private readonly logger = new Logger(BlockNoticeProcessor.name);

  constructor(
    private readonly profiles: ProfilesRepository,
    private readonly adapters: ProtocolAdapterRegistry,
    private readonly outbox: Outbox,
  ) {
    super();
  }

  async process(job: Job<OutboxJob<BlockNoticeWork>>): Promise<void> {
    const { action, profileId, protocol, actorId, outboxId } = job.data;
    const profile = await this.profiles.findById(profileId);
    const adapter = this.adapters.get(protocol);
    // An adapter without block support, or a profile gone since: the local block is all there is.
    if (profile && adapter?.[action]) {
      try {
        await adapter[action]!(profile, { actorId });
      } catch (error) {
        if (failureClassOf(error) === 'retry') throw error;
        this.logger.warn(
          { profileId, protocol, action, message: error instanceof Error ? error.message : String(error) },
          'block notice gave up',
        );
      }
    }
    await this.outbox.complete(outboxId);
  }
}
