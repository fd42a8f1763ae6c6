import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PROTOCOLS, type Protocol } from '../common/protocol.js';
import { EXPORT_FORMATS, type ExportFormat } from './export-format.js';
import { EXPORT_REPORTS, type ExportReport } from './reports.repository.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A period as local days in a time zone, optionally one network. */
export class ReportQueryDto {
  @ApiProperty({ example: '2026-01-01', description: 'First local day of the period (YYYY-MM-DD), included' })
  @Matches(DATE, { message: 'from must be a date as YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-12-31', description: 'Last local day of the period (YYYY-MM-DD), included; at most 1,100 days after from' })
  @Matches(DATE, { message: 'to must be a date as YYYY-MM-DD' })
  to: string;

  @ApiPropertyOptional({ example: 'Europe/Brussels', default: 'UTC', description: 'IANA time zone the days are counted in' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({ enum: PROTOCOLS, description: 'Only this network (default: every network of the profile)' })
  @IsOptional()
  @IsIn(PROTOCOLS)
  network?: Protocol;
}

export const POST_ORDERS = ['published', 'engagement'] as const;
export type PostOrder = (typeof POST_ORDERS)[number];

export class PostsReportQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ enum: POST_ORDERS, default: 'published', description: 'engagement: top posts first (all networks together)' })
  @IsOptional()
  @IsIn(POST_ORDERS)
  sort?: PostOrder;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class PostFiguresQueryDto {
  @ApiPropertyOptional({ example: 'Europe/Brussels', default: 'UTC', description: 'IANA time zone of publishedDate' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;
}

export class ExportQueryDto extends ReportQueryDto {
  @ApiProperty({
    enum: EXPORT_REPORTS,
    description: 'posts: figures per post and network; interactions: each counted fediverse interaction; followers: per day',
  })
  @IsIn(EXPORT_REPORTS)
  report: ExportReport;

  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    default: 'csv',
    description: 'csv (RFC 4180, header row) or jsonl (one JSON object a line)',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}
