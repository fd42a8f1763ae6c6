import { Module } from '@nestjs/common';
import { BlocksRepository } from './blocks.repository.js';
import { KeywordFiltersRepository } from './keyword-filters.repository.js';

/**
 * What moderation decided, as the rest of Herald reads it: blocks (accounts and
 * domains) and keyword filters. A leaf: inbox intake, the audience and delivery
 * consult it; the moderation module writes it.
 */
@Module({ providers: [BlocksRepository, KeywordFiltersRepository], exports: [BlocksRepository, KeywordFiltersRepository] })
export class ModerationRulesModule {}
