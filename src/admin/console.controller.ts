import { Controller, Get, Header, Inject, Param, ParseUUIDPipe, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentStaff } from '../access/current-staff.decorator.js';
import { INBOX_READERS } from '../access/role.js';
import { Public, Roles } from '../access/roles.decorator.js';
import { hasRole, type StaffPrincipal } from '../access/staff-principal.js';
import { ConflictError, NotFoundError } from '../common/domain-errors.js';
import type { PostStatus } from '../posts/post.entity.js';
import { INTERACTION_KINDS, TRIAGE_STATES, type InteractionKind, type TriageState } from '../inbox/interaction.entity.js';
import { PROTOCOLS, type Protocol } from '../common/protocol.js';
import type { Profile } from '../profiles/profile.entity.js';
import { ConsoleAssets } from './console-assets.js';
import { ConsoleErrorFilter } from './console-error.filter.js';
import { ConsoleService } from './console.service.js';
import { CONSOLE_CSS } from './console-styles.js';
import { composeView } from './views/compose.view.js';
import { inboxItemView, inboxView } from './views/inbox.view.js';
import { DeliveryReports } from '../publishing/delivery-reports.js';
import { deliveryView } from './views/delivery.view.js';
import { loginView } from './views/login.view.js';
import { postRowView, postsView } from './views/posts.view.js';
import { profilesView } from './views/profiles.view.js';
import { reportsView, type ReportsQuery } from './views/reports.view.js';
import { networkStatusPartial } from './views/network-status.partial.js';
import { settingsView } from './views/settings.view.js';
import { setupView } from './views/setup.view.js';
import { accountView, staffView } from './views/staff.view.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

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

/** What the console's editor changes: posts not out yet, and published ones (sent out as an edit, or for approval). */
const EDITABLE: PostStatus[] = ['draft', 'in_review', 'scheduled', 'published'];

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
    private readonly deliveryReports: DeliveryReports,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('login')
  @Public()
  login(@Query('changed') changed: unknown, @Res() response: Response): void {
    send(response, loginView(changed === '1'));
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
    if (profiles.length === 0) return send(response, setupView(staff, this.config.http.publicUrl.host));
    if (profiles.length === 1) return response.redirect(303, `/admin/profiles/${profiles[0].id}/posts`);
    send(response, profilesView(staff, profiles));
  }

  @Get('staff')
  @Roles('admin')
  async staffPage(@CurrentStaff() staff: StaffPrincipal, @Res() response: Response): Promise<void> {
    send(response, staffView(staff, await this.console.staff()));
  }

  @Get('account')
  account(@CurrentStaff() staff: StaffPrincipal, @Res() response: Response): void {
    send(response, accountView(staff));
  }

  @Get('profiles/new')
  @Roles('admin')
  newProfile(@CurrentStaff() staff: StaffPrincipal, @Res() response: Response): void {
    send(response, setupView(staff, this.config.http.publicUrl.host));
  }

  @Get('profiles/:profileId/compose')
  @Roles('editor')
  async compose(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @Query('welcome') welcome: unknown,
    @Query('threadParent') threadParentId: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Res() response: Response,
  ): Promise<void> {
    const profile = await this.console.profile(profileId);
    const threadParent = threadParentId === undefined ? undefined : await this.console.threadParent(profile, threadParentId);
    send(response, composeView(staff, profile, { canPublish: canPublish(staff, profile), welcome: welcome === '1', threadParent }));
  }

  @Get('posts/:postId/edit')
  @Roles('editor')
  async editPost(
    @Param('postId', ParseUUIDPipe) postId: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Res() response: Response,
  ): Promise<void> {
    const { profile, post } = await this.console.post(postId);
    if (!EDITABLE.includes(post.status)) throw new ConflictError(`A ${post.status} post cannot be edited here`);
    const pendingEdit = post.pendingRevision?.content;
    send(response, composeView(staff, profile, { canPublish: canPublish(staff, profile), post, pendingEdit }));
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
        networks: await this.console.networks(profileId),
        canPublish: canPublish(staff, profile),
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
    send(response, postRowView(staff, profile, post, canPublish(staff, profile)).value);
  }

  @Get('posts/:postId/delivery')
  async delivery(
    @Param('postId', ParseUUIDPipe) postId: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Res() response: Response,
  ): Promise<void> {
    const { profile, post } = await this.console.post(postId);
    const { networks } = await this.deliveryReports.forPost(postId);
    send(response, deliveryView(staff, profile, post, networks));
  }

  @Get('profiles/:profileId/inbox')
  @Roles(...INBOX_READERS)
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
    const { profile, items, context } = await this.console.inboxPage(profileId, filters);
    send(response, inboxView(staff, profile, items, filters, context));
  }

  @Get('inbox/:id/item')
  @Roles(...INBOX_READERS)
  async inboxItem(@Param('id', ParseUUIDPipe) id: string, @CurrentStaff() staff: StaffPrincipal, @Res() response: Response): Promise<void> {
    const { profile, item, context } = await this.console.interaction(id);
    send(response, inboxItemView(staff, profile, item, context).value);
  }

  @Get('profiles/:profileId/reports')
  @Roles('analyst')
  async reports(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @Query() query: Record<string, unknown>,
    @CurrentStaff() staff: StaffPrincipal,
    @Res() response: Response,
  ): Promise<void> {
    const { profile, page } = await this.console.reportsPage(profileId, reportsQuery(query));
    send(response, reportsView(staff, profile, page));
  }

  @Get('profiles/:profileId/settings')
  @Roles('admin')
  async settings(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Res() response: Response,
  ): Promise<void> {
    send(response, settingsView(staff, await this.console.profile(profileId), await this.console.networks(profileId)));
  }

  /** The Networks section alone, for the page to refresh after Try now. */
  @Get('profiles/:profileId/networks')
  async networks(
    @Param('profileId', ParseUUIDPipe) profileId: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Res() response: Response,
  ): Promise<void> {
    send(response, networkStatusPartial(staff, profileId, await this.console.networks(profileId)).value);
  }

  /** Last: any other console address is a console 404 page (with the header and Log out), not the API's JSON. */
  @Get('*path')
  notFound(): never {
    throw new NotFoundError('Console page', 'at this address');
  }
}

/** The same rule as PostsService.assertMayRelease, so the console shows only buttons that work. */
function canPublish(staff: StaffPrincipal, profile: Profile): boolean {
  return profile.requiresApproval ? hasRole(staff, 'approver') : hasRole(staff, 'editor', 'approver');
}

/** The reports page's period: the last 30 days (UTC) unless the form asked for another; the service validates it. */
function reportsQuery(query: Record<string, unknown>): ReportsQuery {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 29 * 86_400_000);
  return {
    from: text(query.from) ?? monthAgo.toISOString().slice(0, 10),
    to: text(query.to) ?? today.toISOString().slice(0, 10),
    timeZone: text(query.timeZone) ?? 'UTC',
    network: oneOf<Protocol>(PROTOCOLS, query.network),
  };
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
