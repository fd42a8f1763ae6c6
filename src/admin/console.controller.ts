import { Controller, Get, Header, Param, ParseUUIDPipe, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentStaff } from '../access/current-staff.decorator.js';
import { Public, Roles } from '../access/roles.decorator.js';
import { hasRole, type StaffPrincipal } from '../access/staff-principal.js';
import { NotFoundError } from '../common/domain-errors.js';
import { INTERACTION_KINDS, TRIAGE_STATES, type InteractionKind, type TriageState } from '../inbox/interaction.entity.js';
import { PROTOCOLS, type Protocol } from '../common/protocol.js';
import { ConsoleAssets } from './console-assets.js';
import { ConsoleErrorFilter } from './console-error.filter.js';
import { ConsoleService } from './console.service.js';
import { CONSOLE_CSS } from './console-styles.js';
import { composeView } from './views/compose.view.js';
import { inboxItemView, inboxView } from './views/inbox.view.js';
import { loginView } from './views/login.view.js';
import { postRowView, postsView } from './views/posts.view.js';
import { profilesView } from './views/profiles.view.js';
import { reportsView } from './views/reports.view.js';
import { settingsView } from './views/settings.view.js';

// Scripts (modules under /admin/assets) and styles come only from this server, never inline;
// API calls and the live streams stay same-origin.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  values.includes(value as T) ? (value as T) : undefined;

/**
 * The staff console: server-rendered pages behind the session cookie (the global
 * AuthGuard accepts it), with small scripts that call the admin API.
 */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('admin')
export class ConsoleController {
  constructor(
    private readonly console: ConsoleService,
    private readonly assets: ConsoleAssets,
  ) {}

  @Get('login')
  @Public()
  login(@Res() response: Response): void {
    send(response, loginView());
  }

  @Get('assets/console.css')
  @Public()
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  css(): string {
    return CONSOLE_CSS;
  }

  /** The browser modules; revalidated on each load (ETag), since their names carry no version. */
  @Get('assets/:file')
  @Public()
  async script(@Param('file') file: string, @Res() response: Response): Promise<void> {
    const script = await this.assets.script(file);
    if (script === null) throw new NotFoundError('Asset', file);
    response
      .type('text/javascript; charset=utf-8')
      .setHeader('Cache-Control', 'no-cache')
      .setHeader('X-Content-Type-Options', 'nosniff')
      .send(script);
  }

  @Get()
  async home(@CurrentStaff() staff: StaffPrincipal, @Res() response: Response): Promise<void> {
    const profiles = await this.console.listProfiles();
    if (profiles.length === 1) return response.redirect(303, `/admin/profiles/${profiles[0].id}/posts`);
    send(response, profilesView(staff, profiles));
  }

  @Get('profiles/:profileId/compose')
  @Roles('editor')
  async compose(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Res() response: Response,
  ): Promise<void> {
    const profile = await this.console.profile(profileId);
    const canPublish = profile.requiresApproval ? hasRole(staff, 'approver') : hasRole(staff, 'editor', 'approver');
    send(response, composeView(staff, profile, canPublish));
  }

  @Get('profiles/:profileId/posts')
  async posts(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @Query('created') created: unknown,
    @Query('cursor') cursor: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Res() response: Response,
  ): Promise<void> {
    const { profile, page, streamFrom } = await this.console.postsPage(profileId, typeof cursor === 'string' ? cursor : undefined);
    send(
      response,
      postsView(staff, profile, page.items, {
        created: typeof created === 'string' ? created : undefined,
        nextCursor: page.nextCursor,
        streamFrom,
      }),
    );
  }

  @Get('posts/:postId/row')
  async postRow(
    @Param('postId', ParseUUIDPipe) postId: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Res() response: Response,
  ): Promise<void> {
    const { profile, post } = await this.console.post(postId);
    send(response, postRowView(staff, profile, post).value);
  }

  @Get('profiles/:profileId/inbox')
  @Roles('moderator', 'analyst')
  async inbox(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @Query() query: Record<string, unknown>,
    @CurrentStaff() staff: StaffPrincipal,
    @Res() response: Response,
  ): Promise<void> {
    const filters = {
      state: oneOf<TriageState>(TRIAGE_STATES, query.state),
      protocol: oneOf<Protocol>(PROTOCOLS, query.protocol),
      kind: oneOf<InteractionKind>(INTERACTION_KINDS, query.kind),
    };
    const { profile, items } = await this.console.inboxPage(profileId, filters);
    send(response, inboxView(staff, profile, items, filters));
  }

  @Get('inbox/:id/item')
  @Roles('moderator', 'analyst')
  async inboxItem(@Param('id', ParseUUIDPipe) id: string, @CurrentStaff() staff: StaffPrincipal, @Res() response: Response): Promise<void> {
    const { profile, item } = await this.console.interaction(id);
    send(response, inboxItemView(staff, profile, item).value);
  }

  @Get('profiles/:profileId/reports')
  @Roles('analyst')
  async reports(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Res() response: Response,
  ): Promise<void> {
    const { profile, followers, posts } = await this.console.reportsPage(profileId);
    send(response, reportsView(staff, profile, followers, posts));
  }

  @Get('profiles/:profileId/settings')
  @Roles('admin')
  async settings(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Res() response: Response,
  ): Promise<void> {
    send(response, settingsView(staff, await this.console.profile(profileId)));
  }
}

function send(response: Response, body: string): void {
  response
    .type('html')
    .setHeader('Cache-Control', 'no-store')
    .setHeader('Content-Security-Policy', CSP)
    .setHeader('X-Content-Type-Options', 'nosniff')
    .setHeader('Referrer-Policy', 'same-origin')
    .send(body);
}
