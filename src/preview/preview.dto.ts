import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PostContentDto } from '../posts/post.dto.js';
import { POST_KINDS, type PostKind } from '../posts/post.entity.js';

/** The composer's unsaved content; validated like a post, but text may be empty while typing. */
export class PreviewPostDto extends PostContentDto {
  @ApiProperty({ enum: POST_KINDS })
  @IsIn(POST_KINDS)
  kind: PostKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  declare text?: string;
}
