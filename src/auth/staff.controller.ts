import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff } from '../access/current-staff.decorator.js';
import { Roles } from '../access/roles.decorator.js';
import { ChangePasswordDto, CreateStaffDto, UpdateStaffDto } from './staff.dto.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { StaffService } from './staff.service.js';

@ApiTags('staff')
@ApiBearerAuth()
@Controller('api/staff')
@Roles('admin')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  list() {
    return this.staff.list();
  }

  @Post()
  create(@Body() body: CreateStaffDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.staff.create(body, actor);
  }

  /** Open to every role: one's own password, given the current one. */
  @Post('me/password')
  @Roles()
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your own password; every session of your account ends (log in again)' })
  async changeOwnPassword(@Body() body: ChangePasswordDto, @CurrentStaff() actor: StaffPrincipal): Promise<void> {
    await this.staff.changeOwnPassword(actor, body.currentPassword, body.newPassword);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateStaffDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.staff.update(id, body, actor);
  }
}
