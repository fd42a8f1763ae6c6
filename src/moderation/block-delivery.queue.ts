import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Protocol } from '../common/protocol.js';
import { QUEUES } from '../queue/queues.js';

/** Telling the network about a block or unblock; the local block is already in force. */
export interface BlockDeliveryJob {
  action: 'block' | 'unblock';
  profileId: string;
  protocol: Protocol;
  actorId: string;
}

@Injectable()
export class BlockDeliveryQueue {
  constructor(@InjectQueue(QUEUES.blockDelivery) private readonly queue: Queue) {}

  async enqueue(job: BlockDeliveryJob): Promise<void> {
    await this.queue.add(job.action, job, {
      attempts: 10,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }
}
