import { Body, Controller, Get, Headers, HttpCode, MessageEvent, Param, ParseUUIDPipe, Patch, Post, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { CurrentStaff } from '../access/current-staff.decorator.js';
import { INBOX_READERS } from '../access/role.js';
import { Roles } from '../access/roles.decorator.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { resumePoint, serverSentEvents } from '../common/server-sent-events.js';
import { InboxAnswerService } from './inbox-answer.service.js';
import { InboxEvents } from './inbox-events.js';
import { InboxTriageService } from './inbox-triage.service.js';
import { AddNoteDto, AnswerDto, BulkInboxDto, ListInboxDto, UpdateInteractionDto } from './inbox.dto.js';
import { InboxQueries } from './inbox.queries.js';

/** Reads are for moderators and analysts (the console's inbox readers); changes need a moderator (admins may do all). */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api')
export class InboxController {
  constructor(
    private readonly view: InboxQueries,
    private readonly triage: InboxTriageService,
    private readonly answers: InboxAnswerService,
    private readonly events: InboxEvents,
  ) {}

  @Get('profiles/:profileId/inbox')
  @Roles(...INBOX_READERS)
  list(@Param('profileId', ParseUUIDPipe) profileId: string, @Query() query: ListInboxDto) {
    return this.view.list(profileId, query);
  }

  /** Server-Sent Events; a reconnecting EventSource sends Last-Event-ID and gets what it missed. */
  @Sse('profiles/:profileId/inbox/stream')
  @Roles(...INBOX_READERS)
  async stream(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    const from = resumePoint(lastEventId);
    await this.view.assertProfile(profileId);
    return serverSentEvents(
      this.events.stream(profileId, from).pipe(map((event): MessageEvent => ({ id: event.id, type: event.type, data: event.payload }))),
    );
  }

  @Get('inbox/:id')
  @Roles(...INBOX_READERS)
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.view.detail(id);
  }

  @Patch('inbox/:id')
  @Roles('moderator')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateInteractionDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.triage.update(id, body, actor);
  }

  @Post('inbox/:id/notes')
  @Roles('moderator')
  addNote(@Param('id', ParseUUIDPipe) id: string, @Body() body: AddNoteDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.triage.addNote(id, body.text, actor);
  }

  @Post('profiles/:profileId/inbox/bulk')
  @Roles('moderator')
  @HttpCode(200)
  bulk(@Param('profileId', ParseUUIDPipe) profileId: string, @Body() body: BulkInboxDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.triage.bulk(profileId, body, actor);
  }

  @Post('inbox/:id/answer')
  @Roles('moderator')
  answer(@Param('id', ParseUUIDPipe) id: string, @Body() body: AnswerDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.answers.answer(id, body, actor);
  }
}
