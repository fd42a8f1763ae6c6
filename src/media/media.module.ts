import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { MediaController } from './media.controller.js';
import { MediaRepository } from './media.repository.js';
import { MediaService } from './media.service.js';
import { MediaStorage } from './media.storage.js';

@Module({
  imports: [AuditModule],
  controllers: [MediaController],
  providers: [MediaService, MediaRepository, MediaStorage],
  exports: [MediaService, MediaRepository, MediaStorage],
})
export class MediaModule {}
