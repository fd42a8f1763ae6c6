import { Global, Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { BlockDeliveryQueue } from './block-delivery.queue.js';
import { BlocksRepository } from './blocks.repository.js';
import { KeywordFiltersRepository } from './keyword-filters.repository.js';
import { ModerationController } from './moderation.controller.js';
import { ModerationService } from './moderation.service.js';

@Global()
@Module({
  imports: [ProfilesModule],
  controllers: [ModerationController],
  providers: [BlocksRepository, KeywordFiltersRepository, BlockDeliveryQueue, ModerationService],
  exports: [BlocksRepository, KeywordFiltersRepository],
})
export class ModerationModule {}
