import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsFQDN,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PROTOCOLS, type Protocol } from '../common/protocol.js';

export class ProfileFieldDto {
  @ApiProperty({ example: 'Website' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name: string;

  @ApiProperty({ example: 'https://example.org' })
  @IsString()
  @MaxLength(2048)
  value: string;
}

export class CreateProfileDto {
  @ApiProperty({ example: 'eu', description: 'Local part of the fediverse handle' })
  @Matches(/^[a-z0-9_]{1,30}$/, { message: 'handle must be 1–30 lower-case letters, digits or _' })
  handle: string;

  @ApiProperty({ example: 'social.example.eu', description: 'Bluesky handle and web domain' })
  @IsFQDN({ require_tld: true }, { message: 'domain must be a fully qualified domain name' })
  @MaxLength(253)
  domain: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  displayName: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  bio?: string;

  @ApiPropertyOptional({ type: [ProfileFieldDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => ProfileFieldDto)
  fields?: ProfileFieldDto[];

  @ApiPropertyOptional({ example: 'Governmental organisation' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  organisationType?: string;

  @ApiPropertyOptional({ example: 'https://example.org' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2048)
  website?: string;

  @ApiPropertyOptional({ example: 'the European Union' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  managedBy?: string;

  @ApiPropertyOptional({ enum: PROTOCOLS, isArray: true, default: PROTOCOLS })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(PROTOCOLS, { each: true })
  protocols?: Protocol[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  requiresApproval?: boolean;

  @ApiPropertyOptional({ enum: ['thread', 'link'], default: 'thread' })
  @IsOptional()
  @IsIn(['thread', 'link'])
  longPostMode?: 'thread' | 'link';
}

/**
 * A change to a profile. Avatar and banner exist only here: they are uploads of
 * the profile (POST /api/profiles/{id}/media), so they follow its creation.
 */
export class UpdateProfileDto extends PartialType(CreateProfileDto) {
  @ApiPropertyOptional({ description: 'An image uploaded to this profile (its id from POST /api/profiles/{id}/media)', nullable: true })
  @IsOptional()
  @IsUUID()
  avatarMediaId?: string | null;

  @ApiPropertyOptional({ description: 'An image uploaded to this profile (its id from POST /api/profiles/{id}/media)', nullable: true })
  @IsOptional()
  @IsUUID()
  bannerMediaId?: string | null;
}

/** Valid example bodies for the API documentation's "Try it out". */
export const PROFILE_EXAMPLES = {
  create: {
    handle: 'commission',
    domain: 'commission.example.eu',
    displayName: 'European Commission',
    bio: 'News and decisions of the European Commission.',
    organisationType: 'Governmental organisation',
    website: 'https://commission.europa.eu',
    managedBy: 'the European Union',
    protocols: ['activitypub', 'atproto'],
    requiresApproval: false,
  },
  update: { bio: 'News and decisions of the European Commission.', website: 'https://commission.europa.eu' },
};
