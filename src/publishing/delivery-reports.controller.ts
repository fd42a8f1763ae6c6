import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeliveryReports } from './delivery-reports.js';

@ApiTags('posts')
@ApiBearerAuth()
@Controller('api')
export class DeliveryReportsController {
  constructor(private readonly reports: DeliveryReports) {}

  @Get('posts/:id/delivery')
  @ApiOperation({
    summary: 'Did it land? Per network: the publication, and what the network knows of it',
    description:
      'ActivityPub: for each activity sent (Create, Update, Delete), the audience at send time (followers, inboxes, servers), ' +
      'deliveries delivered / gone (410) / given up / retrying / untried, the time to the last successful delivery, and each ' +
      "server's outcome with its last HTTP status and error. Read from PostgreSQL, so it stays true after a Redis loss. " +
      'Bluesky: the record URI and CID, whether the AppView shows the post, with its counts, and `relay`: for each relay ' +
      'the PDS asks to crawl it (ATPROTO_CRAWLERS), whether it knows the repo (com.atproto.sync.getRepoStatus) and its ' +
      'revision against ours (`ourRev`); `relays` is empty when no relay is configured.',
  })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.reports.forPost(id);
  }
}
