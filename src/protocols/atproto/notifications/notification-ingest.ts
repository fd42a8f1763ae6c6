import type { AtpAgent } from '@atproto/api';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AudienceService } from '../../../audience/audience.service.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { InboxService } from '../../../inbox/inbox.service.js';
import { ProfilesRepository } from '../../../profiles/profiles.repository.js';
import { AtprotoAccountsRepository } from '../accounts/atproto-accounts.repository.js';
import { PdsAccounts } from '../accounts/pds-accounts.js';
import { classifyXrpcError } from '../xrpc-errors.js';
import { AtprotoPostsRepository } from './atproto-posts.repository.js';
import { FollowerReconciler } from './follower-reconciler.js';
import { followerOf, interactionFromNotification, subjectUriOf, type Notification } from './interaction-from-notification.js';

const PAGE = 50;
/** getPosts takes at most 25 URIs. */
const COUNT_BATCH = 25;
const COUNTED_POSTS = 100;
/** How often the whole follower list is compared (Bluesky sends no unfollow notifications). */
const RECONCILE_EVERY_MS = 60 * 60_000;

/**
 * Reads what happened to a profile on Bluesky back from the AppView:
 * notifications since the stored cursor become inbox interactions and
 * followers (each stored once), and per-post counts become metric snapshots.
 */
@Injectable()
export class NotificationIngest {
  private readonly logger = new Logger(NotificationIngest.name);
  private readonly reconciledAt = new Map<string, number>();
  private readonly overlapMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly profiles: ProfilesRepository,
    private readonly accountRows: AtprotoAccountsRepository,
    private readonly accounts: PdsAccounts,
    private readonly posts: AtprotoPostsRepository,
    private readonly inbox: InboxService,
    private readonly audience: AudienceService,
    private readonly reconciler: FollowerReconciler,
  ) {
    this.overlapMs = config.atproto.notificationOverlapSeconds * 1000;
  }

  async pollAll(): Promise<void> {
    for (const account of await this.accountRows.list()) {
      try {
        await this.poll(account.profileId);
      } catch (error) {
        // One profile's failure must not stop the others; the next run retries it.
        this.logger.warn(
          { profileId: account.profileId, message: error instanceof Error ? error.message : String(error) },
          'bluesky poll failed',
        );
      }
    }
  }

  async poll(profileId: string): Promise<void> {
    const profile = await this.profiles.findById(profileId);
    if (!profile || !profile.protocols.includes('atproto')) return;
    const { agent, account } = await this.accounts.agentFor(profile);
    const fresh = await this.newNotifications(agent, account.notificationCursor);
    for (const notification of fresh.reverse()) await this.store(notification, profileId);
    await this.accountRows.saveCursor(profileId, latest(account.notificationCursor, fresh.at(-1)?.indexedAt));
    await this.snapshotCounts(agent, profileId);
    if (Date.now() - (this.reconciledAt.get(profileId) ?? 0) >= RECONCILE_EVERY_MS) await this.reconcile(agent, profileId, account.did);
  }

  /** Ends Bluesky followers who unfollowed, and adds follows the notifications missed. */
  async reconcileFollowers(profileId: string): Promise<{ ended: number; added: number }> {
    const profile = await this.profiles.findById(profileId);
    if (!profile || !profile.protocols.includes('atproto')) return { ended: 0, added: 0 };
    const { agent, account } = await this.accounts.agentFor(profile);
    return this.reconcile(agent, profileId, account.did);
  }

  private async reconcile(agent: AtpAgent, profileId: string, did: string): Promise<{ ended: number; added: number }> {
    const outcome = await this.reconciler.reconcile(agent, profileId, did);
    this.reconciledAt.set(profileId, Date.now());
    return outcome;
  }

  /**
   * Pages newest-first back to `overlap` before the cursor. The AppView sorts notifications by, and reports as
   * `indexedAt`, the earlier of the record's createdAt and the moment it indexed it, so a record indexed at I lands at
   * min(createdAt, I). Every notification read before I sorts at or before I as well, so the cursor is at most I and the
   * new one lands behind it by at most I - createdAt: reading back `overlap` skips nothing the AppView indexed within
   * `overlap` of its createdAt. Neither a time cursor nor the AppView's own (the same sort key) can do better.
   * Everything re-read is stored once: interactions are unique per protocol and remote id, followers per actor.
   */
  private async newNotifications(agent: AtpAgent, cursorAt: string | null): Promise<Notification[]> {
    const readBackTo = cursorAt ? Date.parse(cursorAt) - this.overlapMs : null;
    const fresh: Notification[] = [];
    let cursor: string | undefined;
    do {
      const page = await agent.app.bsky.notification.listNotifications({ limit: PAGE, cursor }).catch(classifyXrpcError);
      const { notifications } = page.data;
      const unseen = notifications.filter((notification) => readBackTo === null || Date.parse(notification.indexedAt) >= readBackTo);
      fresh.push(...unseen);
      cursor = unseen.length === notifications.length && notifications.length === PAGE ? page.data.cursor : undefined;
    } while (cursor);
    return fresh;
  }

  /** One notification as an interaction or a follower, stored once: the poll and the firehose both write through here. */
  async store(notification: Notification, profileId: string): Promise<void> {
    const subject = subjectUriOf(notification);
    const targetPostId = subject ? await this.posts.postIdForUri(subject) : null;
    const received = interactionFromNotification(notification, profileId, targetPostId);
    if (!received) return;
    if (received.kind === 'follow') {
      const { kind: _follow, ...event } = received;
      await this.audience.followed(followerOf(received), event);
      return;
    }
    await this.inbox.receive(received);
  }

  private async snapshotCounts(agent: AtpAgent, profileId: string): Promise<void> {
    const published = await this.posts.recentPublished(profileId, COUNTED_POSTS);
    const postIdByUri = new Map(published.map((post) => [post.uri, post.postId]));
    const takenAt = new Date();
    for (let start = 0; start < published.length; start += COUNT_BATCH) {
      const uris = published.slice(start, start + COUNT_BATCH).map((post) => post.uri);
      const response = await agent.app.bsky.feed.getPosts({ uris }).catch(classifyXrpcError);
      await this.posts.insertSnapshots(
        response.data.posts.flatMap((view) => {
          const postId = postIdByUri.get(view.uri);
          return postId
            ? [
                {
                  postId,
                  likes: view.likeCount ?? 0,
                  reposts: view.repostCount ?? 0,
                  replies: view.replyCount ?? 0,
                  quotes: view.quoteCount ?? 0,
                },
              ]
            : [];
        }),
        takenAt,
      );
    }
  }
}

/** The later of two AppView timestamps, so a notification deleted since the last poll never moves the cursor back. */
function latest(stored: string | null, read: string | undefined): string | null {
  if (!read) return stored;
  return !stored || Date.parse(read) > Date.parse(stored) ? read : stored;
}
