import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PROTOCOLS, type Protocol } from '../common/protocol.js';
import { KEYWORD_ACTIONS, type KeywordAction } from '../moderation-rules/keyword-filter.entity.js';

const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** A DNS name with a top-level label, or an IPv4 literal (servers reached by address). */
const HOST = new RegExp(`^((?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}|(${IPV4_OCTET}\\.){3}${IPV4_OCTET})$`, 'i');

export class CreateBlockDto {
  @ApiProperty({ enum: ['account', 'domain'] })
  @IsIn(['account', 'domain'])
  kind: 'account' | 'domain';

  @ApiPropertyOptional({ enum: PROTOCOLS, description: 'Required for an account block' })
  @ValidateIf((body: CreateBlockDto) => body.kind === 'account')
  @IsIn(PROTOCOLS)
  protocol?: Protocol;

  @ApiPropertyOptional({ description: 'AP actor id (https URL) or AT DID; required for an account block' })
  @ValidateIf((body: CreateBlockDto) => body.kind === 'account')
  @Matches(/^(https:\/\/\S+|did:[a-z]+:[a-zA-Z0-9._:%-]+)$/, { message: 'actorId must be an https actor id or a DID' })
  @MaxLength(500)
  actorId?: string;

  @ApiPropertyOptional({
    description:
      'Host name or IPv4 address; required for a domain block (a name blocks its subdomains too). For Bluesky it applies to handles.',
  })
  @ValidateIf((body: CreateBlockDto) => body.kind === 'domain')
  @Matches(HOST, { message: 'domain must be a host name such as example.social, or an IPv4 address' })
  domain?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class CreateKeywordFilterDto {
  @ApiProperty()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  pattern: string;

  @ApiProperty({ enum: KEYWORD_ACTIONS })
  @IsIn(KEYWORD_ACTIONS)
  action: KeywordAction;

  @ApiPropertyOptional({ description: 'Required when action is label' })
  @ValidateIf((body: CreateKeywordFilterDto) => body.action === 'label')
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} _:-]{0,49}$/u, { message: 'label is 1-50 letters, digits, spaces, _ : -' })
  label?: string;
}
