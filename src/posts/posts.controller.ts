import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff } from '../access/current-staff.decorator.js';
import { Roles } from '../access/roles.decorator.js';
import type { StaffPrincipal } from '../access/staff-principal.js';
import { CreatePostDto, ListPostsDto, POST_EXAMPLES, PublishPostDto, RetryPublicationsDto, UpdatePostDto } from './post.dto.js';
import { PostsService } from './posts.service.js';

@ApiTags('posts')
@ApiBearerAuth()
@Controller('api')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Get('profiles/:profileId/posts')
  list(@Param('profileId', ParseUUIDPipe) profileId: string, @Query() query: ListPostsDto) {
    return this.posts.list(profileId, query);
  }

  @Post('profiles/:profileId/posts')
  @Roles('editor')
  @ApiBody({ type: CreatePostDto, examples: { note: { value: POST_EXAMPLES.note }, article: { value: POST_EXAMPLES.article } } })
  create(@Param('profileId', ParseUUIDPipe) profileId: string, @Body() body: CreatePostDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.posts.create(profileId, body, actor);
  }

  @Get('posts/:id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.posts.get(id);
  }

  @Patch('posts/:id')
  @Roles('editor')
  @ApiOperation({
    summary: 'Edit a post',
    description:
      "A published post's edit goes out as an edit on every network (Update on the fediverse, a record update on Bluesky). " +
      "Where the profile requires approval and the caller is not an approver, the edit is stored as the post's `pendingRevision` " +
      'instead and the live post is unchanged until an approver approves it. A second edit while one is pending replaces it, ' +
      "starting from it: fields not sent keep the pending edit's values.",
  })
  @ApiBody({ type: UpdatePostDto, examples: { edit: { value: POST_EXAMPLES.update } } })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdatePostDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.posts.update(id, body, actor);
  }

  @Get('posts/:id/revisions')
  @ApiOperation({ summary: 'Edits proposed for a published post, newest first, with their state' })
  revisions(@Param('id', ParseUUIDPipe) id: string) {
    return this.posts.revisionsOf(id);
  }

  @Post('posts/:id/revisions/:revisionId/approve')
  @Roles('approver')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a pending edit: the post takes its content and the edit goes out on every network' })
  approveRevision(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('revisionId', ParseUUIDPipe) revisionId: string,
    @CurrentStaff() actor: StaffPrincipal,
  ) {
    return this.posts.approveRevision(id, revisionId, actor);
  }

  @Post('posts/:id/revisions/:revisionId/reject')
  @Roles('approver')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a pending edit: the published post stays as it is' })
  rejectRevision(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('revisionId', ParseUUIDPipe) revisionId: string,
    @CurrentStaff() actor: StaffPrincipal,
  ) {
    return this.posts.rejectRevision(id, revisionId, actor);
  }

  @Post('posts/:id/submit')
  @Roles('editor')
  @HttpCode(200)
  submit(@Param('id', ParseUUIDPipe) id: string, @CurrentStaff() actor: StaffPrincipal) {
    return this.posts.submit(id, actor);
  }

  @Post('posts/:id/approve')
  @Roles('approver')
  @HttpCode(200)
  approve(@Param('id', ParseUUIDPipe) id: string, @Body() body: PublishPostDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.posts.approve(id, actor, body.scheduledAt);
  }

  @Post('posts/:id/reject')
  @Roles('approver')
  @HttpCode(200)
  reject(@Param('id', ParseUUIDPipe) id: string, @CurrentStaff() actor: StaffPrincipal) {
    return this.posts.reject(id, actor);
  }

  @Post('posts/:id/publish')
  @Roles('editor', 'approver')
  @HttpCode(200)
  publish(@Param('id', ParseUUIDPipe) id: string, @Body() body: PublishPostDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.posts.publish(id, actor, body.scheduledAt);
  }

  @Post('posts/:id/unschedule')
  @Roles('editor', 'approver')
  @HttpCode(200)
  unschedule(@Param('id', ParseUUIDPipe) id: string, @CurrentStaff() actor: StaffPrincipal) {
    return this.posts.unschedule(id, actor);
  }

  @Post('posts/:id/retry')
  @Roles('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Try failed publications of a post again (all networks, or the one given)' })
  retry(@Param('id', ParseUUIDPipe) id: string, @Body() body: RetryPublicationsDto, @CurrentStaff() actor: StaffPrincipal) {
    return this.posts.retry(id, actor, body.protocol);
  }

  @Delete('posts/:id')
  @Roles('editor')
  remove(@Param('id', ParseUUIDPipe) id: string, @CurrentStaff() actor: StaffPrincipal) {
    return this.posts.delete(id, actor);
  }
}
