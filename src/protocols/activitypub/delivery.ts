import type { Recipient } from '@fedify/vocab';
import type { Activity } from '@fedify/vocab';
import { Injectable } from '@nestjs/common';
import { FollowersRepository } from '../../audience/followers.repository.js';
import { BlocksRepository, parentDomains } from '../../moderation-rules/blocks.repository.js';
import type { Profile } from '../../profiles/profile.entity.js';
import { FederationHost } from './federation-host.js';

const PAGE = 1000;

/**
 * Sends an activity from a profile to its followers (one request per shared inbox) plus any
 * extra recipients, skipping blocked domains. Fedify only enqueues here; the queue delivers.
 */
@Injectable()
export class Delivery {
  constructor(
    private readonly host: FederationHost,
    private readonly followers: FollowersRepository,
    private readonly blocks: BlocksRepository,
  ) {}

  async toFollowers(profile: Profile, activity: Activity, extra: Recipient[] = []): Promise<void> {
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
    await this.to(profile, activity, recipients);
  }

  async to(profile: Profile, activity: Activity, recipients: Recipient[]): Promise<void> {
    if (recipients.length === 0) return;
    await this.host.context().sendActivity({ identifier: profile.handle }, recipients, activity, { preferSharedInbox: true });
  }
}
