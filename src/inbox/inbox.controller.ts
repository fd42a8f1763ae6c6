import { Body, Controller, Get, Headers, HttpCode, MessageEvent, Param, ParseUUIDPipe, Patch, Post, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { interval, map, merge, type Observable } from 'rxjs';
import { CurrentStaff } from '../auth/current-staff.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import type { StaffPrincipal } from '../auth/staff-principal.js';
import { InvalidInputError } from '../common/domain-errors.js';
import { announceReady } from '../common/sse-ready.js';
import { InboxAnswerService } from './inbox-answer.service.js';
import { InboxEvents } from './inbox-events.js';
import { InboxTriageService } from './inbox-triage.service.js';
import { AddNoteDto, AnswerDto, BulkInboxDto, ListInboxDto, UpdateInteractionDto } from './inbox.dto.js';
import { InboxView } from './inbox.view.js';

const HEARTBEAT_MS = 25_000;

/** Reads are open to every staff role (analysts and editors read); changes need a moderator (or admin). */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api')
export class InboxController {
  constructor(
    private readonly view: InboxView,
    private readonly triage: InboxTriageService,
    private readonly answers: InboxAnswerService,
    private readonly events: InboxEvents,
  ) {}

  @Get('profiles/:profileId/inbox')
  list(@Param('profileId', ParseUUIDPipe) profileId: string, @Query() query: ListInboxDto) {
    return this.view.list(profileId, query);
  }

  /** Server-Sent Events; a reconnecting EventSource sends Last-Event-ID and gets what it missed. */
  @Sse('profiles/:profileId/inbox/stream')
  async stream(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    if (lastEventId !== undefined && !/^\d{1,19}$/.test(lastEventId))
      throw new InvalidInputError('Last-Event-ID: must be an event id this server sent', 'Last-Event-ID');
    await this.view.assertProfile(profileId);
    const events = this.events
      .stream(profileId, lastEventId)
      .pipe(map((event): MessageEvent => ({ id: event.id, type: event.type, data: event.payload })));
    // A comment now and then keeps proxies from closing a quiet stream; clients ignore it.
    return announceReady(merge(events, interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ comment: 'keep-alive' })))));
  }

  @Get('inbox/:id')
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
