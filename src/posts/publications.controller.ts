import { Controller, Headers, MessageEvent, Param, ParseUUIDPipe, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { resumePoint, serverSentEvents } from '../common/server-sent-events.js';
import { PublicationEvents } from './publication-events.js';

/** Open to every staff role, like the inbox stream: everyone who sees the post list sees its publication states. */
@ApiTags('publications')
@ApiBearerAuth()
@Controller('api')
export class PublicationsController {
  constructor(private readonly events: PublicationEvents) {}

  /**
   * Server-Sent Events: each change of a publication's state, attempts or last error. A reconnecting
   * EventSource sends Last-Event-ID; a page passes `after`, the position it was rendered at.
   */
  @Sse('profiles/:profileId/publications/stream')
  async stream(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @Headers('last-event-id') lastEventId?: string,
    @Query('after') after?: unknown,
  ): Promise<Observable<MessageEvent>> {
    const events = await this.events.stream(profileId, resumePoint(lastEventId, after));
    return serverSentEvents(events.pipe(map((event): MessageEvent => ({ id: event.id, type: event.type, data: event.payload }))));
  }
}
