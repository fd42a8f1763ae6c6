import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentStaff } from '../access/current-staff.decorator.js';
import { Roles } from '../access/roles.decorator.js';
import { CreateStaffDto, UpdateStaffDto } from './staff.dto.js';
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

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateStaffDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.staff.update(id, body, actor);
  }
}
