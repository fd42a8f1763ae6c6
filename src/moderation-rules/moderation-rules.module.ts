import { Module } from '@nestjs/common';
import { TableVersionsModule } from '../table-versions/table-versions.module.js';
import { BlocksRepository } from './blocks.repository.js';
import { InboundRules } from './inbound-rules.js';
import { KeywordFiltersRepository } from './keyword-filters.repository.js';

/**
 * What moderation decided, as the rest of Herald reads it: blocks (accounts and
 * domains) and keyword filters. A leaf: inbox intake, the audience and delivery
 * consult it; the moderation module writes it.
 */
@Module({
  imports: [TableVersionsModule],
  providers: [BlocksRepository, KeywordFiltersRepository, InboundRules],
  exports: [BlocksRepository, KeywordFiltersRepository, InboundRules],
})
export class ModerationRulesModule {}
