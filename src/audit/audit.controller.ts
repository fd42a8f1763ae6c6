import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/roles.decorator.js';
import { AuditRepository } from './audit.repository.js';
import { ListAuditDto } from './list-audit.dto.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  @Roles('admin')
  list(@Query() query: ListAuditDto) {
    return this.audit.list(query.limit ?? 50, query.before);
  }
}
