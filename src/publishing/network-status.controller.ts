import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentStaff } from '../access/current-staff.decorator.js';
import { Roles } from '../access/roles.decorator.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { PROTOCOLS, type Protocol } from '../common/protocol.js';
import { ParseProtocolPipe } from './parse-protocol.pipe.js';
import { NetworkStatusService } from './network-status.service.js';

/** The OpenAPI shape of one network's status (see NetworkStatus). */
class NetworkStatusDto {
  @ApiProperty({ enum: PROTOCOLS }) protocol: Protocol;
  @ApiProperty({ example: 'Bluesky' }) network: string;
  @ApiProperty({ enum: ['ready', 'needs action', 'failing'] }) state: string;
  @ApiProperty({
    example:
      'Bluesky: the account could not be created because the PLC directory at https://plc.directory is unreachable. Herald will try again in 10 minutes.',
  })
  summary: string;
  @ApiPropertyOptional({ nullable: true, example: 'Set PUBLIC_URL to the public https URL where Herald is reachable.' }) action:
    string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) lastWorkedAt: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) lastAttemptAt: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time', description: 'Set while Herald waits before trying again' })
  nextAttemptAt: string | null;
  @ApiProperty({ description: 'Failed attempts in a row since it last worked' }) failures: number;
  @ApiPropertyOptional({ nullable: true, description: "The network's own words, for whoever investigates" }) lastError: string | null;
}

@ApiTags('profiles')
@ApiBearerAuth()
@Controller('api/profiles/:id/networks')
export class NetworkStatusController {
  constructor(private readonly status: NetworkStatusService) {}

  @Get()
  @ApiOperation({
    summary: "The profile's networks: ready, needs action or failing",
    description:
      'Per network the profile is on: the state, the cause in plain language, what to do, when it last worked and when ' +
      'Herald tries again. A network that fails waits before the next attempt (minutes, doubling, up to hours).',
  })
  @ApiOkResponse({ type: NetworkStatusDto, isArray: true })
  list(@Param('id', ParseUUIDPipe) id: string) {
    return this.status.forProfile(id);
  }

  @Post(':protocol/try-now')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Try now: end the wait and attempt at once',
    description:
      'Ends the backoff and makes one attempt (for Bluesky: creates the account if it is missing). When it works, ' +
      "posts held back for this network go out at once. Answers the network's status after the attempt.",
  })
  @ApiParam({ name: 'protocol', enum: PROTOCOLS })
  @ApiOkResponse({ type: NetworkStatusDto })
  tryNow(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('protocol', ParseProtocolPipe) protocol: Protocol,
    @CurrentStaff() actor: StaffPrincipal,
  ) {
    return this.status.tryNow(id, protocol, actor);
  }
}
