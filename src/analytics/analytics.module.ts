import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { PostFiguresRepository } from './post-figures.repository.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

/** Reach and audience figures: latest figures per post, period reports, exports. */
@Module({
  imports: [ProfilesModule],
  controllers: [ReportsController],
  providers: [PostFiguresRepository, ReportsRepository, ReportsService],
  exports: [PostFiguresRepository, ReportsService],
})
export class AnalyticsModule {}
