import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { PreviewController } from './preview.controller.js';
import { PreviewService } from './preview.service.js';

@Module({
  imports: [ProfilesModule],
  controllers: [PreviewController],
  providers: [PreviewService],
})
export class PreviewModule {}
