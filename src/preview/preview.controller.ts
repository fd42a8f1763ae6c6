import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/roles.decorator.js';
import { PreviewPostDto } from './preview.dto.js';
import { PreviewService } from './preview.service.js';

@ApiTags('posts')
@ApiBearerAuth()
@Controller('api')
export class PreviewController {
  constructor(private readonly previews: PreviewService) {}

  /** The composer's live preview: each network's rendering of the unsaved post. */
  @Post('profiles/:profileId/preview')
  @Roles('editor')
  @HttpCode(200)
  preview(@Param('profileId', ParseUUIDPipe) profileId: string, @Body() body: PreviewPostDto) {
    return this.previews.preview(profileId, body);
  }
}
