import type { Activity, Recipient } from '@fedify/vocab';
import { Injectable } from '@nestjs/common';
import { FollowersRepository } from '../../../audience/followers.repository.js';
import { BlocksRepository, parentDomains } from '../../../moderation-rules/blocks.repository.js';
import type { Profile } from '../../../profiles/profile.entity.js';
import { FederationHost } from '../federation-host.js';
import { DeliveryQueue } from './delivery-queue.js';
import { FanoutCapture, type FanoutScope } from './fanout-capture.js';

const PAGE = 1000;

/** What a send left to do. */
export interface SendReceipt {
  /** True when the publication must wait for the deliveries' outcomes: some inbox will hear of it, and none has settled it yet. */
  settlesLater: boolean;
}

/**
 * Sends an activity from a profile to its followers (one request per shared
 * inbox) plus any extra recipients, skipping blocked domains. Fedify prepares
 * the activity; the fan-out is written to PostgreSQL (one row per inbox) in
 * one transaction and the delivery processor sends it from there.
 */
@Injectable()
export class Delivery {
  constructor(
    private readonly host: FederationHost,
    private readonly capture: FanoutCapture,
    private readonly queue: DeliveryQueue,
    private readonly followers: FollowersRepository,
    private readonly blocks: BlocksRepository,
  ) {}

  async toFollowers(
    profile: Profile,
    activity: Activity,
    extra: Recipient[] = [],
    scope: Omit<FanoutScope, 'profileId'> = {},
  ): Promise<SendReceipt> {
    const blocked = new Set(await this.blocks.blockedDomains(profile.id));
    const allowed = (url: URL | null) =>
      url !== null && ![url.hostname.toLowerCase(), ...parentDomains(url.hostname.toLowerCase())].some((domain) => blocked.has(domain));
    const recipients: Recipient[] = extra.filter((recipient) => allowed(recipient.id));
    for (let after: string | undefined; ;) {
      const page = await this.followers.listActive(profile.id, 'activitypub', PAGE, after);
      for (const follower of page) {
        const id = new URL(follower.remoteActorId);
        if (!allowed(id) || !follower.inboxUrl) continue;
        recipients.push({
          id,
          inboxId: new URL(follower.inboxUrl),
          endpoints: follower.sharedInboxUrl ? { sharedInbox: new URL(follower.sharedInboxUrl) } : null,
        });
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1].id;
    }
    return this.to(profile, activity, recipients, { ...scope, audience: recipients.length });
  }

  async to(
    profile: Profile,
    activity: Activity,
    recipients: Recipient[],
    scope: Omit<FanoutScope, 'profileId'> = {},
  ): Promise<SendReceipt> {
    if (recipients.length === 0) return { settlesLater: false };
    const stored = await this.capture.within({ ...scope, profileId: profile.id }, () =>
      // 'skip': Fedify hands over one message per inbox, fully prepared, which the capture stores.
      this.host.context().sendActivity({ identifier: profile.handle }, recipients, activity, { preferSharedInbox: true, fanout: 'skip' }),
    );
    if (!stored) return { settlesLater: false };
    // After commit; a repeated send of a stored fan-out re-drives it, which costs nothing when it is done.
    await this.queue.start(stored.id);
    // A retried job that finds its fan-out already settled has nothing left to wait for.
    return { settlesLater: stored.destinations > 0 && !stored.settled };
  }
}
