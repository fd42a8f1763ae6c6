import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/domain-errors.js';
import type { Interaction, InteractionKind, TriageState } from '../inbox/interaction.entity.js';
import { PostsService, type PostPage, type PostWithPublications } from '../posts/posts.service.js';
import type { Profile } from '../profiles/profile.entity.js';
import type { Protocol } from '../common/protocol.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { PublicationEvents } from '../posts/publication-events.js';
import { AudienceService } from '../audience/audience.service.js';
import { InboxListRepository } from './inbox-list.repository.js';
import { ReachReportRepository, type PostReach } from './reach-report.repository.js';

export interface InboxFilters {
  state?: TriageState;
  protocol?: Protocol;
  kind?: InteractionKind;
}

/** What the console's server-rendered pages show; every change goes through the admin API. */
@Injectable()
export class ConsoleService {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly posts: PostsService,
    private readonly inbox: InboxListRepository,
    private readonly reach: ReachReportRepository,
    private readonly audience: AudienceService,
    private readonly publicationEvents: PublicationEvents,
  ) {}

  async reportsPage(profileId: string): Promise<{ profile: Profile; followers: Record<string, number>; posts: PostReach[] }> {
    const profile = await this.profiles.get(profileId);
    const [followers, posts] = await Promise.all([this.audience.counts(profileId), this.reach.recentPosts(profileId, 20)]);
    return { profile, followers, posts };
  }

  listProfiles(): Promise<Profile[]> {
    return this.profiles.list();
  }

  profile(profileId: string): Promise<Profile> {
    return this.profiles.get(profileId);
  }

  /**
   * `streamFrom`: the publication stream's position, read before the posts, so the
   * page's live updates start exactly where its rendering did.
   */
  async postsPage(profileId: string, cursor?: string): Promise<{ profile: Profile; page: PostPage; streamFrom: string }> {
    const profile = await this.profiles.get(profileId);
    const streamFrom = await this.publicationEvents.position();
    return { profile, page: await this.posts.list(profileId, { limit: 30, cursor }), streamFrom };
  }

  async post(postId: string): Promise<{ profile: Profile; post: PostWithPublications }> {
    const post = await this.posts.get(postId);
    return { profile: await this.profiles.get(post.profileId), post };
  }

  async inboxPage(profileId: string, filters: InboxFilters): Promise<{ profile: Profile; items: Interaction[] }> {
    const profile = await this.profiles.get(profileId);
    return { profile, items: await this.inbox.list({ profileId, ...filters, limit: 50 }) };
  }

  async interaction(id: string): Promise<{ profile: Profile; item: Interaction }> {
    const item = await this.inbox.findById(id);
    if (!item) throw new NotFoundError('Interaction', id);
    return { profile: await this.profiles.get(item.profileId), item };
  }
}
