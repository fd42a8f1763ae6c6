import { type AppBskyActorDefs, AtpAgent } from '@atproto/api';
import type { CommitEvt } from '@atproto/sync';
import { Inject, Injectable } from '@nestjs/common';
import { AudienceService } from '../../../audience/audience.service.js';
import { FollowersRepository } from '../../../audience/followers.repository.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { InboxService } from '../../../inbox/inbox.service.js';
import { AtprotoAccountsRepository } from '../accounts/atproto-accounts.repository.js';
import { NotificationIngest } from '../notifications/notification-ingest.js';
import { concernsOf, notificationFrom, type CreatedRecord } from './notifications-from-record.js';

/** New accounts are picked up this often; anything they get before is left to the poll. */
const ACCOUNTS_REFRESH_MS = 30_000;
const APPVIEW_TIMEOUT_MS = 5_000;

/**
 * Turns firehose commits into what the notification poll would store: a record that concerns one of Herald's
 * accounts becomes the AppView's notification for it and goes through the poll's own storage (idempotent per record
 * URI), so whichever path sees it first writes it and the other writes nothing. Deleting such a record withdraws it.
 */
@Injectable()
export class FirehoseIngest {
  private profileByDid = new Map<string, string>();
  private accountsReadAt = 0;
  private readonly appView: AtpAgent;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly accounts: AtprotoAccountsRepository,
    private readonly notifications: NotificationIngest,
    private readonly inbox: InboxService,
    private readonly audience: AudienceService,
    private readonly followers: FollowersRepository,
  ) {
    this.appView = new AtpAgent({
      service: config.atproto.appViewUrl,
      fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(APPVIEW_TIMEOUT_MS) }),
    });
  }

  /** Whether a DID is one of Herald's accounts (a cached list, so a relay's thousands of commits a second cost no query). */
  async isOurs(did: string): Promise<boolean> {
    if (Date.now() - this.accountsReadAt >= ACCOUNTS_REFRESH_MS) {
      this.profileByDid = new Map((await this.accounts.list()).map((account) => [account.did, account.profileId]));
      this.accountsReadAt = Date.now();
    }
    return this.profileByDid.has(did);
  }

  async handle(event: CommitEvt): Promise<void> {
    if (event.event === 'create') await this.created(event);
    else if (event.event === 'delete') await this.deleted(event);
  }

  private async created(event: CommitEvt & { event: 'create' }): Promise<void> {
    await this.isOurs(event.did);
    const record: CreatedRecord = {
      uri: event.uri.toString(),
      cid: event.cid.toString(),
      repo: event.did,
      collection: event.collection,
      record: event.record,
    };
    const concerns = concernsOf(record, (did) => this.profileByDid.has(did));
    if (concerns.length === 0) return;
    // The inbox shows, and domain blocks match, the author's handle: without it the record waits for the poll.
    const author = await this.profileOf(event.did);
    for (const concern of concerns) {
      const profileId = this.profileByDid.get(concern.did);
      if (profileId) await this.notifications.store(notificationFrom(record, concern, author), profileId);
    }
  }

  /** A deleted like, repost or post is withdrawn if Herald stored it; a deleted follow ends the follower. */
  private async deleted(event: CommitEvt & { event: 'delete' }): Promise<void> {
    const uri = event.uri.toString();
    if (event.collection !== 'app.bsky.graph.follow') {
      await this.inbox.withdraw('atproto', uri, { authorId: event.did });
      return;
    }
    const profileId = await this.followers.activeProfileByFollowId('atproto', uri, event.did);
    if (!profileId) return;
    const author = await this.profileOf(event.did).catch((): Partial<AppBskyActorDefs.ProfileView> => ({}));
    await this.audience.unfollowed(profileId, 'atproto', event.did, {
      profileId,
      protocol: 'atproto',
      // As the follower reconciler names it, so an unfollow it finds later is the same one.
      remoteId: `${uri}#deleted`,
      author: { id: event.did, handle: author.handle ?? null, name: author.displayName ?? null, avatarUrl: author.avatar ?? null },
      createdAt: new Date(),
    });
  }

  private async profileOf(did: string): Promise<AppBskyActorDefs.ProfileView> {
    const { data } = await this.appView.app.bsky.actor.getProfile({ actor: did });
    return { did: data.did, handle: data.handle, displayName: data.displayName, avatar: data.avatar };
  }
}
