import { Global, Module } from '@nestjs/common';
import { AudienceService } from './audience.service.js';
import { FollowersRepository } from './followers.repository.js';

@Global()
@Module({ providers: [AudienceService, FollowersRepository], exports: [AudienceService, FollowersRepository] })
export class AudienceModule {}
