import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentStaff } from '../access/current-staff.decorator.js';
import { Roles } from '../access/roles.decorator.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { CreateProfileDto, PROFILE_EXAMPLES, UpdateProfileDto } from './profile.dto.js';
import { ProfilesService } from './profiles.service.js';

@ApiTags('profiles')
@ApiBearerAuth()
@Controller('api/profiles')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get()
  list() {
    return this.profiles.list();
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.profiles.get(id);
  }

  @Post()
  @Roles('admin')
  @ApiBody({ type: CreateProfileDto, examples: { profile: { value: PROFILE_EXAMPLES.create } } })
  create(@Body() body: CreateProfileDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.profiles.create(body, actor);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiBody({ type: UpdateProfileDto, examples: { profile: { value: PROFILE_EXAMPLES.update } } })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateProfileDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.profiles.update(id, body, actor);
  }
}
