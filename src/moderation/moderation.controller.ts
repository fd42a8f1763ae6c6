import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentStaff } from '../access/current-staff.decorator.js';
import { Roles } from '../access/roles.decorator.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { CreateBlockDto, CreateKeywordFilterDto } from './moderation.dto.js';
import { ModerationService } from './moderation.service.js';

/** Profile blocks and keyword filters: moderators. Hub-wide blocks: admins only. Reads: every staff role. */
@ApiTags('moderation')
@ApiBearerAuth()
@Controller('api')
export class ModerationController {
  constructor(private readonly moderation: ModerationService) {}

  @Get('profiles/:profileId/blocks')
  list(@Param('profileId', ParseUUIDPipe) profileId: string) {
    return this.moderation.listBlocks(profileId);
  }

  @Post('profiles/:profileId/blocks')
  @Roles('moderator')
  block(@Param('profileId', ParseUUIDPipe) profileId: string, @Body() body: CreateBlockDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.moderation.block(profileId, body, actor);
  }

  @Delete('profiles/:profileId/blocks/:id')
  @Roles('moderator')
  @HttpCode(204)
  unblock(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentStaff() actor: StaffPrincipal,
  ) {
    return this.moderation.unblock(profileId, id, actor);
  }

  @Get('blocks')
  listHub() {
    return this.moderation.listBlocks(null);
  }

  @Post('blocks')
  @Roles('admin')
  blockHub(@Body() body: CreateBlockDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.moderation.block(null, body, actor);
  }

  @Delete('blocks/:id')
  @Roles('admin')
  @HttpCode(204)
  unblockHub(@Param('id', ParseUUIDPipe) id: string, @CurrentStaff() actor: StaffPrincipal) {
    return this.moderation.unblock(null, id, actor);
  }

  @Get('profiles/:profileId/keyword-filters')
  listFilters(@Param('profileId', ParseUUIDPipe) profileId: string) {
    return this.moderation.listKeywordFilters(profileId);
  }

  @Post('profiles/:profileId/keyword-filters')
  @Roles('moderator')
  addFilter(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @Body() body: CreateKeywordFilterDto,
    @CurrentStaff() actor: StaffPrincipal,
  ) {
    return this.moderation.addKeywordFilter(profileId, body, actor);
  }

  @Delete('profiles/:profileId/keyword-filters/:id')
  @Roles('moderator')
  @HttpCode(204)
  removeFilter(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentStaff() actor: StaffPrincipal,
  ) {
    return this.moderation.removeKeywordFilter(profileId, id, actor);
  }
}
