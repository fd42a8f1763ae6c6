import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PROTOCOLS, type Protocol } from '../common/protocol.js';
import { ARTICLE_TEXT_LIMIT, NOTE_TEXT_LIMIT } from './post-limits.js';
import { POST_KINDS, POST_STATUSES, type PostKind, type PostStatus } from './post.entity.js';

export class AttachmentDto {
  @ApiProperty()
  @IsUUID()
  mediaId: string;

  @ApiProperty({ description: 'Alt text; required so every image is described' })
  @IsString()
  @MinLength(1, { message: 'altText must describe the image' })
  @MaxLength(1500)
  altText: string;
}

/** The statuses a client may ask for when creating a post. */
export const REQUESTABLE_STATUSES = ['draft', 'in_review', 'scheduled', 'published'] as const;
export type RequestableStatus = (typeof REQUESTABLE_STATUSES)[number];

const TEXT_LIMITS = `At most ${NOTE_TEXT_LIMIT.toLocaleString('en')} characters for a note (on Bluesky a thread of 300-character posts, or one post with a link card) and ${ARTICLE_TEXT_LIMIT.toLocaleString('en')} for an article`;

export class PostContentDto {
  @ApiPropertyOptional({ description: TEXT_LIMITS, example: 'Our new strategy for the Black Sea region is out today. #EU' })
  @IsOptional()
  @IsString()
  @MaxLength(ARTICLE_TEXT_LIMIT, { message: `at most ${ARTICLE_TEXT_LIMIT.toLocaleString('en')} characters, even for an article` })
  text?: string;

  @ApiPropertyOptional({ description: 'Required for articles' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  summary?: string;

  @ApiPropertyOptional({ example: 'en' })
  @IsOptional()
  @Matches(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, { message: 'language must be a BCP 47 tag such as en or pt-BR' })
  language?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  contentWarning?: string;

  @ApiPropertyOptional({ type: [AttachmentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];

  @ApiPropertyOptional({ description: 'ISO 8601 time to publish at' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  scheduledAt?: Date;
}

export class CreatePostDto extends PostContentDto {
  @ApiProperty({ enum: POST_KINDS })
  @IsIn(POST_KINDS)
  kind: PostKind;

  @ApiProperty({ description: TEXT_LIMITS, example: 'Our new strategy for the Black Sea region is out today. #EU' })
  @IsString()
  @MaxLength(ARTICLE_TEXT_LIMIT, { message: `at most ${ARTICLE_TEXT_LIMIT.toLocaleString('en')} characters, even for an article` })
  declare text: string;

  @ApiPropertyOptional({ description: 'The post this one continues (a thread)' })
  @IsOptional()
  @IsUUID()
  threadParentId?: string;

  @ApiPropertyOptional({ enum: REQUESTABLE_STATUSES, default: 'draft' })
  @IsOptional()
  @IsIn(REQUESTABLE_STATUSES)
  status?: RequestableStatus;
}

export class UpdatePostDto extends PostContentDto {}

export class PublishPostDto {
  @ApiPropertyOptional({ description: 'Publish at this time instead of now' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  scheduledAt?: Date;
}

export class RetryPublicationsDto {
  @ApiPropertyOptional({ enum: PROTOCOLS, description: 'Only this network; all failed ones when absent' })
  @IsOptional()
  @IsIn(PROTOCOLS)
  protocol?: Protocol;
}

export class ListPostsDto {
  @ApiPropertyOptional({ enum: POST_STATUSES })
  @IsOptional()
  @IsIn(POST_STATUSES)
  status?: PostStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** Valid example bodies for the API documentation's "Try it out". */
export const POST_EXAMPLES = {
  note: { kind: 'note', text: 'Our new strategy for the Black Sea region is out today. #EU', language: 'en', status: 'draft' },
  article: {
    kind: 'article',
    title: 'A new strategy for the Black Sea region',
    summary: 'Secure, prosperous and resilient.',
    text: 'The Commission today adopted a strategy for the Black Sea region.',
    status: 'draft',
  },
  update: { text: 'Our new strategy for the Black Sea region is out today. #EU #BlackSea', contentWarning: null },
};
