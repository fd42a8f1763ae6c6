import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Roles } from '../access/roles.decorator.js';
import { exportColumnsDescription } from './export-format.js';
import { ExportQueryDto, PostFiguresQueryDto, PostsReportQueryDto, ReportQueryDto } from './report-query.dto.js';
import { ReportsService } from './reports.service.js';

const PERIOD_NOTE =
  'The period is whole local days `from`..`to` (both included) in `timeZone`. Posts count in the period they were published in, ' +
  'with their latest figures: on the fediverse, the likes, boosts, replies, quotes and emoji reactions Herald received ' +
  '(withdrawn ones excluded); on Bluesky, the counts its AppView last reported.';

/** Reports for analysts (and admins): reach per post, profile, network and period, audience growth, moderation response times. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('analyst')
@Controller('api/profiles/:profileId/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('summary')
  @ApiOperation({
    summary: 'Totals and network comparison for a period',
    description: `Posts, figures, total per post and followers (at start and end, follows, unfollows) per network and together. ${PERIOD_NOTE}`,
  })
  summary(@Param('profileId', ParseUUIDPipe) profileId: string, @Query() query: ReportQueryDto) {
    return this.reports.summary(profileId, query);
  }

  @Get('posts')
  @ApiOperation({
    summary: 'Figures per post and network; top posts with sort=engagement',
    description: `Posts published in the period, newest first or by total engagement (sort=engagement). ${PERIOD_NOTE}`,
  })
  posts(@Param('profileId', ParseUUIDPipe) profileId: string, @Query() query: PostsReportQueryDto) {
    return this.reports.posts(profileId, query);
  }

  @Get('posts/:postId')
  @ApiOperation({ summary: "One post's latest figures on each network it is published on" })
  post(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @Param('postId', ParseUUIDPipe) postId: string,
    @Query() query: PostFiguresQueryDto,
  ) {
    return this.reports.post(profileId, postId, query.timeZone);
  }

  @Get('followers')
  @ApiOperation({
    summary: 'Follower growth: followers at the end of each day, follows and unfollows per day and network',
    description: 'Days are local days in `timeZone`. Unfollows include follows ended by blocks and account moves.',
  })
  followers(@Param('profileId', ParseUUIDPipe) profileId: string, @Query() query: ReportQueryDto) {
    return this.reports.followers(profileId, query);
  }

  @Get('moderation')
  @ApiOperation({
    summary: 'Moderation response times: received → answered, by moderator',
    description:
      'For interactions received in the period and answered from the inbox: how many, and the median, 90th percentile and mean ' +
      'seconds from arrival to the answer, per moderator and for everyone; plus replies, mentions and quotes still waiting.',
  })
  moderation(@Param('profileId', ParseUUIDPipe) profileId: string, @Query() query: ReportQueryDto) {
    return this.reports.moderation(profileId, query);
  }

  @Get('export')
  @ApiOperation({
    summary: 'Export a report as CSV or JSON Lines, streamed',
    description:
      `Streamed from a database cursor, so a year of a busy profile exports in constant memory. The numbers are those of ` +
      `summary, posts and followers for the same query. ${PERIOD_NOTE}\n\nColumns, in order:\n\n${exportColumnsDescription()}`,
  })
  @ApiProduces('text/csv', 'application/jsonl')
  async export(@Param('profileId', ParseUUIDPipe) profileId: string, @Query() query: ExportQueryDto, @Res() response: Response) {
    const file = await this.reports.export(profileId, query);
    response
      .status(200)
      .type(file.contentType)
      .setHeader('Content-Disposition', `attachment; filename="${file.filename}"`)
      .setHeader('Cache-Control', 'no-store');
    // A client that goes away closes the pipeline, which closes the cursor and frees its connection.
    await pipeline(file.body, response).catch(() => response.destroy());
  }
}
