import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
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
  ValidateIf,
} from 'class-validator';
import { PROTOCOLS, type Protocol } from '../common/protocol.js';
import { INTERACTION_KINDS, TRIAGE_STATES, type InteractionKind, type TriageState } from './interaction.entity.js';

const list = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value);
const LABEL = /^[\p{L}\p{N}][\p{L}\p{N} _:-]{0,49}$/u;
const LABEL_MESSAGE = 'labels are 1-50 letters, digits, spaces, _ : -';

export class ListInboxDto {
  @ApiPropertyOptional({ enum: PROTOCOLS })
  @IsOptional()
  @IsIn(PROTOCOLS)
  protocol?: Protocol;

  @ApiPropertyOptional({ description: 'Comma-separated kinds' })
  @IsOptional()
  @Transform(list)
  @IsIn(INTERACTION_KINDS, { each: true })
  kind?: InteractionKind[];

  @ApiPropertyOptional({ description: 'Comma-separated states; default: everything but hidden and spam' })
  @IsOptional()
  @Transform(list)
  @IsIn(TRIAGE_STATES, { each: true })
  state?: TriageState[];

  @ApiPropertyOptional({ description: 'Interactions about this canonical post' })
  @IsOptional()
  @IsUUID()
  postId?: string;

  @ApiPropertyOptional({ description: 'Author id (AP actor id, DID) or handle' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  author?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(LABEL, { message: LABEL_MESSAGE })
  label?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ description: 'Full-text search in author and content' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Received at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  since?: Date;

  @ApiPropertyOptional({ description: 'Received before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  until?: Date;

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class UpdateInteractionDto {
  @ApiPropertyOptional({ enum: TRIAGE_STATES })
  @IsOptional()
  @IsIn(TRIAGE_STATES)
  state?: TriageState;

  @ApiPropertyOptional({ nullable: true, description: 'Staff id, or null to unassign' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUUID()
  assigneeId?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(LABEL, { each: true, message: LABEL_MESSAGE })
  labels?: string[];
}

export class AddNoteDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  text: string;
}

export const BULK_ACTIONS = ['state', 'assign', 'label', 'unlabel'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export class BulkInboxDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids: string[];

  @ApiProperty({ enum: BULK_ACTIONS })
  @IsIn(BULK_ACTIONS)
  action: BulkAction;

  @ApiPropertyOptional({ enum: TRIAGE_STATES })
  @ValidateIf((body: BulkInboxDto) => body.action === 'state')
  @IsIn(TRIAGE_STATES)
  state?: TriageState;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((body: BulkInboxDto, value) => body.action === 'assign' && value !== null)
  @IsUUID()
  assigneeId?: string | null;

  @ApiPropertyOptional()
  @ValidateIf((body: BulkInboxDto) => body.action === 'label' || body.action === 'unlabel')
  @Matches(LABEL, { message: LABEL_MESSAGE })
  label?: string;
}

export class AnswerDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  text: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, { message: 'language must be a BCP 47 tag such as en or pt-BR' })
  language?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  contentWarning?: string;
}
