import { NetworkStatusService } from '../publishing/network-status.service.js';
import type { NetworkStatus } from '../publishing/network-status.rules.js';
import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { ConflictError, NotFoundError } from '../common/domain-errors.js';
import type { Post } from '../posts/post.entity.js';
import type { Interaction, InteractionKind, TriageState } from '../inbox/interaction.entity.js';
import { PostsService, type PostPage, type PostWithPublications } from '../posts/posts.service.js';
import type { Profile } from '../profiles/profile.entity.js';
import type { Protocol } from '../common/protocol.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { PublicationEvents } from '../posts/publication-events.js';
import { StaffService } from '../auth/staff.service.js';
import type { StaffUser } from '../auth/staff-user.entity.js';
import type { InteractionNote } from '../inbox/interaction-note.entity.js';
import { InboxListRepository } from './inbox-list.repository.js';
import { ReportsService } from '../analytics/reports.service.js';
import type { ReportsPage, ReportsQuery } from './views/reports.view.js';

/** What the inbox page shows beside each interaction: its notes, and who staff are (assignees, note authors). */
export interface InboxContext {
  notes: Map<string, InteractionNote[]>;
  staff: Array<Pick<StaffUser, 'id' | 'displayName' | 'roles' | 'disabled'>>;
}

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
    private readonly reports: ReportsService,
    private readonly publicationEvents: PublicationEvents,
    private readonly staffAccounts: StaffService,
    private readonly networkStatus: NetworkStatusService,
  ) {}

  networks(profileId: string): Promise<NetworkStatus[]> {
    return this.networkStatus.forProfile(profileId);
  }

  staff(): Promise<StaffUser[]> {
    return this.staffAccounts.list();
  }

  /** The reports page: the API's reports for one period, so the page and the exports show the same numbers. */
  async reportsPage(profileId: string, query: ReportsQuery): Promise<{ profile: Profile; page: ReportsPage }> {
    const profile = await this.profiles.get(profileId);
    const [summary, top, followers, moderation] = await Promise.all([
      this.reports.summary(profileId, query),
      this.reports.posts(profileId, { ...query, sort: 'engagement', limit: 10 }),
      this.reports.followers(profileId, query),
      this.reports.moderation(profileId, query),
    ]);
    const networks = query.network ? [query.network] : profile.protocols;
    return { profile, page: { query, networks, summary, topPosts: top.posts, followers: followers.days, moderation } };
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

  /** The post a new one continues: a published post of this profile (the API checks the same when the post is saved). */
  async threadParent(profile: Profile, id: unknown): Promise<Post> {
    if (typeof id !== 'string' || !isUUID(id)) throw new NotFoundError('Post to continue', String(id));
    const post = await this.posts.get(id);
    if (post.profileId !== profile.id) throw new NotFoundError('Post to continue', String(id));
    if (post.status !== 'published') throw new ConflictError(`A ${post.status} post cannot be continued here; continue a published one`);
    if (post.replyToInteractionId !== null) throw new ConflictError('An answer to an inbox interaction cannot be continued as a thread');
    return post;
  }

  async inboxPage(profileId: string, filters: InboxFilters): Promise<{ profile: Profile; items: Interaction[]; context: InboxContext }> {
    const profile = await this.profiles.get(profileId);
    const items = await this.inbox.list({ profileId, ...filters, limit: 50 });
    return { profile, items, context: await this.inboxContext(items) };
  }

  async interaction(id: string): Promise<{ profile: Profile; item: Interaction; context: InboxContext }> {
    const item = await this.inbox.findById(id);
    if (!item) throw new NotFoundError('Interaction', id);
    return { profile: await this.profiles.get(item.profileId), item, context: await this.inboxContext([item]) };
  }

  private async inboxContext(items: Interaction[]): Promise<InboxContext> {
    const [notes, staff] = await Promise.all([this.inbox.notes(items.map((item) => item.id)), this.staffAccounts.list()]);
    const byInteraction = new Map<string, InteractionNote[]>();
    for (const note of notes) byInteraction.set(note.interactionId, [...(byInteraction.get(note.interactionId) ?? []), note]);
    return { notes: byInteraction, staff };
  }
}
