import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentStaff } from '../access/current-staff.decorator.js';
import { Public, Roles } from '../access/roles.decorator.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { InvalidInputError } from '../common/domain-errors.js';
import { MediaService } from './media.service.js';
import { MediaStorage } from './media.storage.js';
import { UploadMediaDto } from './upload-media.dto.js';

@ApiTags('media')
@Controller()
export class MediaController {
  constructor(
    private readonly media: MediaService,
    private readonly storage: MediaStorage,
  ) {}

  @Post('api/profiles/:profileId/media')
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @Roles('editor')
  // The hard cap stops oversized bodies while streaming; the service applies the configured limit.
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 64 * 1024 * 1024, files: 1 } }))
  upload(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @UploadedFile() file: { buffer: Buffer } | undefined,
    @Body() body: UploadMediaDto,
    @CurrentStaff() actor: StaffPrincipal,
  ) {
    if (!file) throw new InvalidInputError('file: a multipart field named "file" is required', 'file');
    return this.media.upload(profileId, { bytes: file.buffer, altText: body.altText ?? '' }, actor);
  }

  @Get('media/:id')
  @Public()
  async serve(@Param('id', ParseUUIDPipe) id: string, @Res() response: Response): Promise<void> {
    const media = await this.media.get(id);
    response.setHeader('Content-Type', media.mimeType);
    response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    this.storage.read(media.storageKey).pipe(response);
  }
}
