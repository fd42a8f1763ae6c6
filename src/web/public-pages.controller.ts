import { Controller, Get, Header, Param, Query, Redirect, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../access/roles.decorator.js';
import { NotFoundError } from '../common/domain-errors.js';
import { PublicPageErrorFilter } from './public-page-error.filter.js';
import type { PublicTab } from './public-posts.repository.js';
import { PublicProfileService } from './public-profile.service.js';
import { PUBLIC_CSS } from './public-styles.js';
import { RemoteFollowService } from './remote-follow.service.js';
import { toFeed } from './to-feed.js';
import { homeView } from './views/home.view.js';
import { postView } from './views/post.view.js';
import { profileView } from './views/profile.view.js';

const TABS: PublicTab[] = ['featured', 'posts', 'media'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TAG = /^[\p{L}\p{N}_]{1,100}$/u;
// Pages only load their own stylesheet and images (media may be on this host only); no scripts at all.
const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self' https:; base-uri 'none'; frame-ancestors 'none'";

/**
 * The public web: profile pages, post pages and feeds. Browsers reach these
 * controllers; ActivityPub requests for the same URLs are answered earlier by
 * the federation middleware (content negotiation), hence `Vary: Accept`.
 */
@ApiExcludeController()
@Public()
@UseFilters(PublicPageErrorFilter)
@Controller()
export class PublicPagesController {
  constructor(
    private readonly pages: PublicProfileService,
    private readonly remoteFollow: RemoteFollowService,
  ) {}

  @Get()
  async home(@Res() response: Response): Promise<void> {
    const profiles = await this.pages.listProfiles();
    if (profiles.length === 1) return response.redirect(302, this.pages.publicUrls.profile(profiles[0].handle));
    this.html(response, homeView(profiles, this.pages.publicUrls));
  }

  @Get('assets/public.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  css(): string {
    return PUBLIC_CSS;
  }

  @Get('@:handle')
  async profile(
    @Param('handle') handle: string,
    @Query('tab') tab: string | undefined,
    @Query('tag') tag: string | undefined,
    @Query('before') before: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const page = await this.pages.profilePage(handle, TABS.includes(tab as PublicTab) ? (tab as PublicTab) : 'posts', {
      tag: typeof tag === 'string' && TAG.test(tag) ? tag : undefined,
      cursor: typeof before === 'string' ? before : undefined,
    });
    this.html(response, profileView(page));
  }

  /** Hashtag links in federated posts: the profile's posts with that tag, or the profiles that used it. */
  @Get('tags/:tag')
  async tag(@Param('tag') tag: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    if (!TAG.test(tag)) throw new NotFoundError('Tag', tag);
    const owners = await this.pages.tagOwners(tag, request.hostname);
    if (owners.length === 0) throw new NotFoundError('Tag', tag);
    if (owners.length > 1) return this.html(response, homeView(owners, this.pages.publicUrls));
    response.redirect(302, `${this.pages.publicUrls.profile(owners[0].handle)}?tab=posts&tag=${encodeURIComponent(tag)}`);
  }

  @Get('@:handle/posts/:postId')
  async post(@Param('handle') handle: string, @Param('postId') postId: string, @Res() response: Response): Promise<void> {
    if (!UUID.test(postId)) throw new NotFoundError('Post', postId);
    this.html(response, postView(await this.pages.postPage(handle, postId)));
  }

  @Get('@:handle/follow')
  @Redirect()
  async follow(@Param('handle') handle: string, @Query('account') account: unknown) {
    const { profile, urls } = await this.pages.identity(handle);
    return {
      url: await this.remoteFollow.followUrl(typeof account === 'string' ? account : '', urls.profile(profile.handle)),
      statusCode: 303,
    };
  }

  @Get('@:handle/feed.rss')
  async rss(@Param('handle') handle: string, @Res() response: Response): Promise<void> {
    const { identity, posts } = await this.pages.feed(handle);
    response.type('application/rss+xml; charset=utf-8').setHeader('Cache-Control', 'public, max-age=300');
    response.send(toFeed(identity, posts).rss2());
  }

  @Get('@:handle/feed.atom')
  async atom(@Param('handle') handle: string, @Res() response: Response): Promise<void> {
    const { identity, posts } = await this.pages.feed(handle);
    response.type('application/atom+xml; charset=utf-8').setHeader('Cache-Control', 'public, max-age=300');
    response.send(toFeed(identity, posts).atom1());
  }

  private html(response: Response, body: string): void {
    response
      .type('html')
      .setHeader('Vary', 'Accept')
      .setHeader('Cache-Control', 'public, max-age=60')
      .setHeader('Content-Security-Policy', CSP)
      .setHeader('X-Content-Type-Options', 'nosniff')
      .setHeader('Referrer-Policy', 'strict-origin-when-cross-origin')
      .send(body);
  }
}
