import { Global, Module } from '@nestjs/common';
import { BlocksRepository } from './blocks.repository.js';

@Global()
@Module({ providers: [BlocksRepository], exports: [BlocksRepository] })
export class ModerationModule {}
