import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class UploadMediaDto {
  @ApiPropertyOptional({ description: 'Alt text describing the image for people who cannot see it' })
  @IsOptional()
  @IsString()
  @MaxLength(1500)
  altText?: string;
}
