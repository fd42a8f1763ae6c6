import { Inject, Injectable } from '@nestjs/common';
import { PostFiguresRepository } from '../analytics/post-figures.repository.js';
import { sumFigures } from '../analytics/post-figures.js';
import { AudienceService } from '../audience/audience.service.js';
import { NotFoundError } from '../common/domain-errors.js';
import { PublicUrls } from '../common/public-urls.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Media } from '../media/media.entity.js';
import { MediaRepository } from '../media/media.repository.js';
import type { Post } from '../posts/post.entity.js';
import type { Profile } from '../profiles/profile.entity.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import type { Protocol } from '../common/protocol.js';
import { NetworkStatusService } from '../publishing/network-status.service.js';
import { type Engagement, PublicPostsRepository, type PublicTab } from './public-posts.repository.js';

export interface ProfileCounts {
  posts: number;
  followers: { activitypub: number; atproto: number; total: number };
}

export interface PublicProfile {
  profile: Profile;
  urls: PublicUrls;
  /** `@handle@host`: what a fediverse user types to find the profile. */
  fediverseHandle: string;
  /** The profile's domain, its Bluesky handle. */
  blueskyHandle: string;
  /** The networks whose handle and follow button the page shows: those that are ready (see NetworkStatusService). */
  networks: Protocol[];
  counts: ProfileCounts;
}

export interface ProfilePage extends PublicProfile {
  tab: PublicTab;
  tag?: string;
  posts: Post[];
  media: Map<string, Media>;
  engagement: Map<string, Engagement>;
  /** Query string for the next page, when there is one. */
  olderCursor: string | null;
}

export interface PostPage extends PublicProfile {
  post: Post;
  continuations: Post[];
  media: Map<string, Media>;
  engagement: Map<string, Engagement>;
}

const PAGE_SIZE = 20;

/** Everything the public pages and feeds show, read-only. */
@Injectable()
export class PublicProfileService {
  private readonly urls: PublicUrls;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly profiles: ProfilesRepository,
    private readonly posts: PublicPostsRepository,
    private readonly media: MediaRepository,
    private readonly audience: AudienceService,
    private readonly figures: PostFiguresRepository,
    private readonly networkStatus: NetworkStatusService,
  ) {
    this.urls = PublicUrls.from(config);
  }

  listProfiles(): Promise<Profile[]> {
    return this.profiles.list();
  }

  get publicUrls(): PublicUrls {
    return this.urls;
  }

  async profilePage(handle: string, tab: PublicTab, options: { tag?: string; cursor?: string } = {}): Promise<ProfilePage> {
    const identity = await this.identity(handle);
    const posts = await this.posts.page({
      profileId: identity.profile.id,
      tab,
      tag: options.tag,
      limit: PAGE_SIZE + 1,
      before: options.cursor ? decodePublicCursor(options.cursor) : undefined,
    });
    const page = posts.slice(0, PAGE_SIZE);
    return {
      ...identity,
      tab,
      tag: options.tag,
      posts: page,
      media: await this.mediaOf(page),
      engagement: await this.engagement(page.map((post) => post.id)),
      olderCursor: posts.length > PAGE_SIZE ? encodePublicCursor(page[page.length - 1]) : null,
    };
  }

  /**
   * Whose posts a hub-wide hashtag link (`/tags/<tag>`, as federated posts carry) stands for:
   * the profile that owns the host asked for, else the hub's only profile, else the profiles
   * that published posts with the tag.
   */
  async tagOwners(tag: string, host: string): Promise<Profile[]> {
    const profiles = await this.profiles.list();
    const owner = profiles.find((profile) => profile.domain.toLowerCase() === host.toLowerCase());
    if (owner) return [owner];
    if (profiles.length === 1) return profiles;
    const used = await Promise.all(profiles.map((profile) => this.posts.page({ profileId: profile.id, tab: 'posts', tag, limit: 1 })));
    return profiles.filter((_, index) => used[index].length > 0);
  }

  async postPage(handle: string, postId: string): Promise<PostPage> {
    const identity = await this.identity(handle);
    const post = await this.posts.findPublished(identity.profile.id, postId);
    if (!post) throw new NotFoundError('Post', postId);
    const continuations = await this.posts.listContinuations(post.id);
    const shown = [post, ...continuations];
    return {
      ...identity,
      post,
      continuations,
      media: await this.mediaOf(shown),
      engagement: await this.engagement(shown.map((each) => each.id)),
    };
  }

  /** The newest published posts, for the feeds. */
  async feed(handle: string): Promise<{ identity: PublicProfile; posts: Post[] }> {
    const identity = await this.identity(handle);
    return { identity, posts: await this.posts.page({ profileId: identity.profile.id, tab: 'posts', limit: PAGE_SIZE }) };
  }

  async identity(handle: string): Promise<PublicProfile> {
    const profile = await this.profiles.findByHandle(handle);
    if (!profile) throw new NotFoundError('Profile', `@${handle}`);
    const [posts, followers, networks] = await Promise.all([
      this.posts.countPublished(profile.id),
      this.audience.counts(profile.id),
      this.networkStatus.offeredNetworks(profile),
    ]);
    const activitypub = followers.activitypub ?? 0;
    const atproto = followers.atproto ?? 0;
    return {
      profile,
      urls: this.urls,
      fediverseHandle: `@${profile.handle}@${this.config.http.publicUrl.host}`,
      blueskyHandle: `@${profile.domain}`,
      networks,
      counts: { posts, followers: { activitypub, atproto, total: activitypub + atproto } },
    };
  }

  private async mediaOf(posts: Post[]): Promise<Map<string, Media>> {
    const ids = [...new Set(posts.flatMap((post) => post.attachments.map((attachment) => attachment.mediaId)))];
    return new Map((await this.media.findMany(ids)).map((media) => [media.id, media]));
  }

  /** Each post's latest figures summed over its networks, as the public page words them. */
  private async engagement(postIds: string[]): Promise<Map<string, Engagement>> {
    const latest = await this.figures.latest(postIds);
    return new Map(
      [...latest].map(([postId, networks]) => {
        const sum = sumFigures(Object.values(networks));
        // A quote is shown as a repost and an emoji reaction as a like, as most fediverse apps count them.
        return [postId, { replies: sum.replies, reposts: sum.reposts + sum.quotes, likes: sum.likes + sum.reactions }];
      }),
    );
  }
}

/** Keyset cursor over (published_at, id) for "older posts" links. */
export function encodePublicCursor(post: Pick<Post, 'publishedAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([post.publishedAt!.toISOString(), post.id])).toString('base64url');
}

export function decodePublicCursor(cursor: string): { publishedAt: Date; id: string } | undefined {
  try {
    const [publishedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const date = new Date(publishedAt);
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime())) return undefined;
    return { publishedAt: date, id };
  } catch {
    // A mangled link shows the first page rather than an error.
    return undefined;
  }
}
