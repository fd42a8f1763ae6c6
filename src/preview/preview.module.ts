import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { PublishingModule } from '../publishing/publishing.module.js';
import { PreviewController } from './preview.controller.js';
import { PreviewService } from './preview.service.js';

@Module({
  imports: [ProfilesModule, PublishingModule],
  controllers: [PreviewController],
  providers: [PreviewService],
})
export class PreviewModule {}
